import { phasesFrom } from '../../../bench/measure/init-phases';

describe('phasesFrom', () => {
  it('splits the medians of the three probes into built-ins, compile and run', () => {
    const phases = phasesFrom({ builtins: [22, 20, 21], compile: [50, 52, 51], require: [83, 80, 81] }, ['node:https', 'node:crypto']);
    expect(phases).toEqual({ builtinsMs: 21, compileMs: 30, runMs: 30, totalMs: 81, builtins: ['node:https', 'node:crypto'] });
  });

  it('floors a phase at 0 when a later probe came out cheaper on a loaded machine', () => {
    const phases = phasesFrom({ builtins: [30], compile: [25], require: [60] }, []);
    expect(phases.compileMs).toBe(0);
    expect(phases.runMs).toBe(35);
  });

  it('names the probe that has no samples', () => {
    expect(() => phasesFrom({ builtins: [1], compile: [], require: [3] }, [])).toThrow(/the compile probe has no samples/);
  });
});
