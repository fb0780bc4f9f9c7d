/** The local synth compiles only an app command it can read: `[npx] tsx <entry>.ts`. */
import { tsxEntry } from '../../../local/synth-app-build';

describe('tsxEntry', () => {
  it('finds the entry of a tsx app command', () => {
    expect(tsxEntry('npx tsx bin/sluice.ts')).toBe('bin/sluice.ts');
    expect(tsxEntry('tsx test/conformance/probe-app.ts')).toBe('test/conformance/probe-app.ts');
    expect(tsxEntry('npx --no-install tsx bin/sluice.ts ')).toBe('bin/sluice.ts');
  });

  it('leaves any other command to run as it is', () => {
    expect(tsxEntry('node bin/sluice.js')).toBeUndefined();
    expect(tsxEntry('npx tsx bin/sluice.ts --flag')).toBeUndefined();
    expect(tsxEntry('npx ts-node bin/sluice.ts')).toBeUndefined();
  });
});
