/**
 * `npm start` runs the local cloud from one esbuild bundle cached by the content hash of its
 * sources (scripts/start.js): an unchanged tree reuses it, any edit to a source builds anew, and
 * each source keeps its own `__dirname`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface BundleTarget {
  root: string;
  entry: string;
  cacheDir: string;
}
interface StartScript {
  prepareBundle(target: BundleTarget): Promise<{ file: string; built: boolean }>;
  currentBundle(target: BundleTarget): string | undefined;
}
// Plain JavaScript: it runs before any TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const start = require('../../../../scripts/start.js') as StartScript;

/** A project whose entry imports a module from a sub folder that prints its own `__dirname`. */
function project(): BundleTarget {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-start-bundle-'));
  mkdirSync(path.join(root, 'src', 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'main.ts'), "import { where } from './sub/where';\nconsole.log(JSON.stringify({ where: where() }));\n");
  writeFileSync(path.join(root, 'src', 'sub', 'where.ts'), 'export const where = (): string => __dirname;\n');
  return { root, entry: path.join('src', 'main.ts'), cacheDir: path.join(root, '.sluice', 'local-cloud') };
}

const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as { where: string };

describe('the local cloud bundle of npm start', () => {
  it('is built once, then reused while no source changed', async () => {
    const target = project();

    const first = await start.prepareBundle(target);
    const second = await start.prepareBundle(target);

    expect(first.built).toBe(true);
    expect(second).toEqual({ file: first.file, built: false });
  });

  it('is built again when a source it imports changes, even to the same size', async () => {
    const target = project();
    const first = await start.prepareBundle(target);

    // `__dirname` and `'abcdefg'` have the same length: the key is the content, not the size or time.
    writeFileSync(path.join(target.root, 'src', 'sub', 'where.ts'), "export const where = (): string => 'abcdefg';\n");
    expect(start.currentBundle(target)).toBeUndefined();
    const second = await start.prepareBundle(target);

    expect(second.built).toBe(true);
    expect(second.file).not.toBe(first.file);
  });

  it('keeps __dirname the folder of each source, where the local cloud finds its emulator hosts', async () => {
    const target = project();

    const { file } = await start.prepareBundle(target);

    expect(run(file)).toEqual({ where: path.join(target.root, 'src', 'sub') });
  });
});
