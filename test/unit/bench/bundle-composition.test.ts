import { bundleComposition, decodeVlq, packageOf } from '../../../bench/lib/bundle-composition';

describe('bundle composition', () => {
  it.each([
    ['A', [0]],
    ['C', [1]],
    ['D', [-1]],
    ['gB', [16]],
    ['AAAA', [0, 0, 0, 0]],
    ['KACA', [5, 0, 1, 0]],
  ])('decodes the VLQ segment %s', (segment, values) => {
    expect(decodeVlq(segment)).toEqual(values);
  });

  it.each([
    ['../../node_modules/zod/v4/core/core.js', 'zod'],
    ['../node_modules/@aws-lambda-powertools/logger/lib/index.js', '@aws-lambda-powertools/logger'],
    ['../../lambdas/ingest/handler.ts', '(own code)'],
  ])('names the package of %s', (source, name) => {
    expect(packageOf(source)).toBe(name);
  });

  it('attributes each mapped segment up to the next one to its source package', () => {
    // line "aaaaabbbbbbbbbb": columns 0-4 from source 0 (own), 5-14 from source 1 (zod)
    const map = { sources: ['src/a.ts', 'node_modules/zod/index.js'], mappings: 'AAAA,KCAA' };

    expect(bundleComposition('aaaaabbbbbbbbbb', map)).toEqual([
      { name: 'zod', bytes: 10 },
      { name: '(own code)', bytes: 5 },
    ]);
  });
});
