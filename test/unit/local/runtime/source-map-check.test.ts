import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sourceMapProblems } from '../../../../local/runtime/source-map-check';

describe('sourceMapProblems', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'sluice-map-'));
  const asset = path.join(root, 'cdk.out', 'asset.1');
  mkdirSync(asset, { recursive: true });
  mkdirSync(path.join(root, 'lambdas', 'query'), { recursive: true });
  writeFileSync(path.join(root, 'lambdas', 'query', 'handler.ts'), 'export const handler = 1;\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const write = (code: string, map?: object) => {
    writeFileSync(path.join(asset, 'index.js'), code);
    if (map) writeFileSync(path.join(asset, 'index.js.map'), JSON.stringify(map));
  };

  it('finds nothing wrong when the comment names a map whose sources resolve from the bundle folder', () => {
    write('exports.handler=1;\n//# sourceMappingURL=index.js.map\n', { version: 3, sources: ['../../lambdas/query/handler.ts'], mappings: '' });
    expect(sourceMapProblems(asset, 'index.handler')).toEqual([]);
  });

  it('says when the bundle has no sourceMappingURL comment', () => {
    write('exports.handler=1;\n');
    expect(sourceMapProblems(asset, 'index.handler')).toEqual([expect.stringContaining('has no //# sourceMappingURL comment')]);
  });

  it('says which source does not resolve when the map carries no sourcesContent', () => {
    write('exports.handler=1;\n//# sourceMappingURL=index.js.map\n', { version: 3, sources: ['../../../lambdas/query/handler.ts'], mappings: '' });
    expect(sourceMapProblems(asset, 'index.handler')).toEqual([
      expect.stringContaining(`(first: ${path.join(path.dirname(root), 'lambdas', 'query', 'handler.ts')})`),
    ]);
  });

  it('accepts unresolvable paths when the map carries the sources itself', () => {
    write('exports.handler=1;\n//# sourceMappingURL=index.js.map\n', { version: 3, sources: ['nowhere.ts'], sourcesContent: ['x'], mappings: '' });
    expect(sourceMapProblems(asset, 'index.handler')).toEqual([]);
  });
});
