import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findMissingHandlers,
  INPUTS_STAMP_FILE,
  isAssemblyCurrent,
  missingHandlersMessage,
  newestOwnedAssembly,
  ownedAssemblyDir,
  synthInputsHash,
} from '../../../../local/synth';

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sluice-synth-'));
  write('bin/app.ts', 'app');
  write('lib/stack.ts', 'stack');
  write('lambdas/ingest/handler.ts', 'handler');
  write('cdk.json', '{"app":"x"}');
  write('package-lock.json', '{}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('synthInputsHash', () => {
  it('changes with the content of a source, cdk.json, the lockfile, cdk.context.json or the context', () => {
    const before = synthInputsHash(root);
    const changes: Array<() => void> = [
      () => write('lambdas/ingest/handler.ts', 'handler v2'),
      () => write('cdk.json', '{"app":"y"}'),
      () => write('package-lock.json', '{"lockfileVersion":3}'),
      () => write('cdk.context.json', '{"k":"v"}'),
      () => write('lib/new-construct.ts', 'new'),
    ];
    const seen = new Set([before]);
    for (const change of changes) {
      change();
      const next = synthInputsHash(root);
      expect(seen.has(next)).toBe(false);
      seen.add(next);
    }
    expect(synthInputsHash(root, { stage: 'prod' })).not.toBe(synthInputsHash(root));
  });

  it('ignores file times, the order of context keys, cdk.out and other folders', () => {
    const before = synthInputsHash(root, { a: '1', b: '2' });
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(root, 'lib/stack.ts'), future, future);
    write('cdk.out/manifest.json', '{}');
    write('test/x.test.ts', 'test');
    expect(synthInputsHash(root, { b: '2', a: '1' })).toBe(before);
  });
});

describe('isAssemblyCurrent', () => {
  const hash = 'a'.repeat(64);
  it('is true only for a complete assembly stamped with the same hash', () => {
    const dir = ownedAssemblyDir(root, hash);
    expect(dir).toBe(path.join(root, '.sluice', 'cdk.out', 'a'.repeat(16)));
    expect(isAssemblyCurrent(dir, hash)).toBe(false);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'manifest.json'), '{}');
    expect(isAssemblyCurrent(dir, hash)).toBe(false);
    writeFileSync(path.join(dir, INPUTS_STAMP_FILE), JSON.stringify({ hash }));
    expect(isAssemblyCurrent(dir, hash)).toBe(true);
    expect(isAssemblyCurrent(dir, 'b'.repeat(64))).toBe(false);
    expect(newestOwnedAssembly(root)).toBe(dir);
  });

  it('finds no owned assembly in a fresh clone', () => {
    expect(newestOwnedAssembly(root)).toBeUndefined();
  });
});

describe('findMissingHandlers', () => {
  it('names the functions whose asset folder has no module for the handler, as after `cdk ls`', () => {
    write('cdk.out/asset.1/index.js', 'exports.handler = () => {}');
    write('cdk.out/asset.2/nested/main.mjs', 'export const run = () => {}');
    const functions = [
      { displayName: 'ingest', handler: 'index.handler', assetDir: path.join(root, 'cdk.out/asset.1') },
      { displayName: 'worker', handler: 'nested/main.run', assetDir: path.join(root, 'cdk.out/asset.2') },
      // cdk ls skips bundling: the asset is the project folder, which has no index.js.
      { displayName: 'projector', handler: 'index.handler', assetDir: root },
    ];
    const missing = findMissingHandlers(functions);
    expect(missing).toEqual([{ displayName: 'projector', handler: 'index.handler', assetDir: root }]);
    const message = missingHandlersMessage(missing, path.join(root, 'cdk.out'));
    expect(message).toContain(`projector: handler index.handler has no module in ${root}`);
    expect(message).toContain('cdk ls');
    expect(message).toContain('npm start -- --synth');
  });
});
