import { OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLE_ALIASES, BUNDLING } from '../../../../lib/sluice-function';
import { esbuildAliases, esbuildOptionsFor, runtimeTarget, unmirroredBundlingOptions } from '../../../../local/watch/esbuild-options';

const target = { entry: '/p/lambdas/query/handler.ts', runtime: 'nodejs24.x' };

describe('esbuildOptionsFor', () => {
  it("turns sluice's BUNDLING into the flags NodejsFunction gives esbuild", () => {
    expect(esbuildOptionsFor(BUNDLING, target, '/p', '/p/.sluice/bundles/current')).toEqual({
      absWorkingDir: '/p',
      entryPoints: ['/p/lambdas/query/handler.ts'],
      bundle: true,
      target: 'node24',
      platform: 'node',
      outfile: '/p/.sluice/bundles/current/index.js',
      minify: BUNDLING.minify,
      sourcemap: true,
      sourcesContent: false,
      external: BUNDLING.externalModules,
      mainFields: BUNDLING.mainFields,
      alias: BUNDLE_ALIASES,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  });

  it('defaults external to the runtime SDK, as NodejsFunction does on Node 18+', () => {
    expect(esbuildOptionsFor({}, target, '/p', '/out')).toMatchObject({ external: ['@aws-sdk/*'], minify: false });
    expect(esbuildOptionsFor({}, target, '/p', '/out')).not.toHaveProperty('sourcemap');
  });

  it('mirrors format, source map mode, define, banner, footer, loader and tsconfig', () => {
    const options = esbuildOptionsFor(
      {
        format: OutputFormat.ESM,
        sourceMapMode: SourceMapMode.INLINE,
        define: { 'process.env.X': '"1"' },
        banner: '/* b */',
        footer: '/* f */',
        loader: { '.txt': 'text' },
        tsconfig: 'tsconfig.build.json',
        target: 'node22',
        keepNames: true,
      },
      target,
      '/p',
      '/out',
    );
    expect(options).toMatchObject({
      format: 'esm',
      outfile: '/out/index.mjs',
      sourcemap: 'inline',
      define: { 'process.env.X': '"1"' },
      banner: { js: '/* b */' },
      footer: { js: '/* f */' },
      loader: { '.txt': 'text' },
      tsconfig: '/p/tsconfig.build.json',
      target: 'node22',
      keepNames: true,
    });
  });
});

describe('esbuildAliases', () => {
  it('reads --alias from esbuildArgs in both forms aws-cdk-lib passes on (a list, or one flag per module)', () => {
    expect(esbuildAliases({ esbuildArgs: { '--alias': ['a=./x.ts', '@s/p/sub=./y.ts'], '--alias:b': './z.ts', '--log-limit': '0' } })).toEqual({
      a: './x.ts',
      '@s/p/sub': './y.ts',
      b: './z.ts',
    });
    expect(esbuildAliases({ esbuildArgs: { '--alias': 'one=./one.ts' } })).toEqual({ one: './one.ts' });
    expect(esbuildAliases({})).toEqual({});
  });

  it('refuses an alias without "=", naming it', () => {
    expect(() => esbuildAliases({ esbuildArgs: { '--alias': ['just-a-module'] } })).toThrow(
      /esbuildArgs --alias: an alias must read "<module>=<replacement>" \(got "just-a-module"\)/,
    );
  });
});

describe('runtimeTarget', () => {
  it('derives the esbuild target from the Lambda runtime', () => {
    expect(runtimeTarget('nodejs20.x')).toBe('node20');
  });

  it('refuses a runtime that is not Node.js, naming it', () => {
    expect(() => runtimeTarget('python3.12')).toThrow(/runtime "python3.12" is not a Node.js runtime/);
  });
});

describe('unmirroredBundlingOptions', () => {
  it('is empty for sluice: every function can be rebuilt by hot reload', () => {
    expect(unmirroredBundlingOptions(BUNDLING)).toEqual([]);
  });

  it('names options that run more than esbuild', () => {
    expect(unmirroredBundlingOptions({ nodeModules: ['sharp'], forceDockerBundling: true, esbuildArgs: { '--x': true } })).toEqual([
      'nodeModules',
      'esbuildArgs --x',
      'forceDockerBundling',
    ]);
  });

  it('mirrors --alias but names any other raw esbuild flag', () => {
    expect(unmirroredBundlingOptions({ esbuildArgs: { '--alias': ['a=./b.ts'], '--alias:c': './d.ts' } })).toEqual([]);
    expect(unmirroredBundlingOptions({ esbuildArgs: { '--alias': ['a=./b.ts'], '--drop': 'console' } })).toEqual(['esbuildArgs --drop']);
  });
});
