import { OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLING } from '../../../../lib/sluice-function';
import { esbuildOptionsFor, runtimeTarget, unmirroredBundlingOptions } from '../../../../local/watch/esbuild-options';

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
      'esbuildArgs',
      'forceDockerBundling',
    ]);
  });
});
