import { makeFigure } from '../../../bench/lib/figures';
import { completeReport, GOALS, makeGoalFigure } from '../../../bench/lib/goals';

describe('issue 14 goals', () => {
  it('lists every figure issue 14 sets a goal for, each with its limit', () => {
    const goals = Object.values(GOALS).map((goal) => [goal.name, goal.target.op, goal.target.limit]);

    expect(goals).toEqual(
      expect.arrayContaining([
        ['projection throughput', '>=', 0.5],
        ['e2e latency p50', '<=', 100],
        ['e2e latency p99', '<=', 300],
        ['init', '<=', 50],
        ['bundle', '<=', 300],
        ['replay rebuild (sluice CLI)', '>=', 0.5],
        ['sluice CLI start', '<=', 300],
        ['ingest POST /events', '>=', 0.8],
        ['npm start to ready (warm)', '<=', 2],
        ['npm start to ready (fresh clone)', '<=', 8],
        ['local cloud memory', '<=', 500],
      ]),
    );
  });

  it('judges a measured figure against its goal', () => {
    expect(makeGoalFigure(GOALS.memory, { value: 501 })).toMatchObject({ name: 'local cloud memory', unit: 'MB', target: '<= 500 MB', pass: false });
    expect(makeGoalFigure(GOALS.memory, { value: 500 })).toMatchObject({ pass: true });
  });

  it('names per-function figures after the function and can move the limit', () => {
    expect(makeGoalFigure(GOALS.init, { functionName: 'projector', value: 60 })).toMatchObject({ name: 'init projector', pass: false });
    expect(makeGoalFigure(GOALS.latencyP50, { value: 150, limit: 180 })).toMatchObject({ target: '<= 180 ms', pass: true });
    expect(makeGoalFigure(GOALS.latencyP50, { value: 150, limit: 457.6712955000694 })).toMatchObject({ target: '<= 458 ms', pass: true });
  });

  it('judges a ratio goal on the ratio given (a median of rounds), not value ÷ baseline', () => {
    const row = makeGoalFigure(GOALS.ingest, { value: 100, baseline: 100, ratio: 0.7, spread: { ratioMin: 0.6, ratioMax: 1.1, rounds: 3 } });

    expect(row).toMatchObject({ ratio: 0.7, pass: false, spread: { ratioMin: 0.6, ratioMax: 1.1, rounds: 3 } });
  });

  it('adds an unmeasured row, with its goal and where it is hooked, for each goal no row covers', () => {
    const measured = [makeGoalFigure(GOALS.memory, { value: 300 }), makeGoalFigure(GOALS.init, { functionName: 'query', value: 20 })];

    const report = completeReport(measured);

    expect(report.slice(0, 2)).toEqual(measured);
    expect(report.map((row) => row.name)).not.toContain('init (every function)');
    expect(report.find((row) => row.name === 'sluice CLI start')).toMatchObject({
      value: null,
      pass: null,
      target: '<= 300 ms',
      note: expect.stringContaining('measureCliStart'),
    });
    expect(report.find((row) => row.name === 'bundle (every function)')).toMatchObject({ value: null, target: '<= 300 KB' });
    expect(report).toHaveLength(2 + Object.keys(GOALS).length - 2);
  });

  it("counts a row with the goal's name as covering it, whoever made it", () => {
    const report = completeReport([makeFigure({ name: 'local cloud memory', value: 1, unit: 'MB' })], [GOALS.memory]);

    expect(report).toHaveLength(1);
  });
});
