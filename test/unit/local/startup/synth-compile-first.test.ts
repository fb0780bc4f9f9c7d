/**
 * `synth` tells its caller when the app is compiled, before the app runs (`onCompiled`): the local
 * synth starts the functions' bundles only then, so they do not hold back the app's own compile
 * (the app is the critical path of a fresh `npm start`). Shown with a real app compiled by esbuild
 * and run by node: the app sees the file the hook wrote, so the hook ran before it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synth } from '../../../../local/synth';

function appProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-synth-order-'));
  mkdirSync(path.join(root, 'bin'));
  writeFileSync(path.join(root, 'cdk.json'), JSON.stringify({ app: 'npx tsx bin/app.ts' }));
  // A stand-in CDK app: writes the manifest CDK would, recording whether the hook's file was there.
  writeFileSync(
    path.join(root, 'bin', 'app.ts'),
    [
      "import { existsSync, writeFileSync } from 'node:fs';",
      "import path from 'node:path';",
      "const seen: boolean = existsSync(path.join(process.cwd(), 'compiled.flag'));",
      "writeFileSync(path.join(process.env.CDK_OUTDIR!, 'manifest.json'), JSON.stringify({ version: '1', seen }));",
    ].join('\n'),
  );
  return root;
}

describe('synth', () => {
  it('calls onCompiled once the app is compiled and before it runs', async () => {
    const root = appProject();
    const out = path.join(root, 'assembly');
    let calls = 0;

    await synth(root, out, {}, undefined, {
      onCompiled: () => {
        calls++;
        writeFileSync(path.join(root, 'compiled.flag'), '');
      },
    });

    expect(calls).toBe(1);
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual({ version: '1', seen: true });
    expect(existsSync(path.join(root, '.sluice', 'synth-app'))).toBe(true); // compiled by esbuild, not run through tsx
  }, 30_000);
});
