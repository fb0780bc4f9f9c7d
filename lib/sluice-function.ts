import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, serviceName } from '../lambdas/shared/metric-catalog';
import { SHARED_ENV } from '../lambdas/shared/environment';
import { FUNCTION_DEFAULTS } from './defaults';

/** Root of the function sources: `lambdas/<name>/handler.ts`. */
export const LAMBDAS_DIR = path.join(__dirname, '..', 'lambdas');

export interface SluiceFunctionProps {
  /** Folder under `lambdas/`, also the Powertools service name suffix, e.g. `projector`. */
  readonly name: string;
  /** Folder of `handler.ts`. @default `lambdas/<name>` */
  readonly handlerDir?: string;
  readonly description: string;
  readonly stage: string;
  readonly environment?: Record<string, string>;
  /** @default FUNCTION_DEFAULTS.consumerTimeout (30 s) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetentionDays: number;
  /** @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /**
   * What happens to the log group when the stack is deleted (prod keeps its logs).
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Modules the AWS SDK reaches only through a dynamic `import()` on paths a sluice function never
 * takes: credential providers after the environment one (Lambda and the local runner both give
 * credentials in `AWS_ACCESS_KEY_ID`/…) and their SSO/STS clients. (Event-stream serde is not one of
 * them: the Kinesis client requires it statically.) Left out of the bundle they cost nothing at init; if one were
 * ever reached, Node resolves it from the Lambda runtime's own SDK (`node_modules` locally).
 * A bundle must load with no `node_modules` at all: test/infra/function-bundle.test.ts checks it.
 */
export const LAZY_SDK_MODULES: readonly string[] = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

/** The repository root: the CDK app bundles from here (NodejsFunction's `projectRoot`, the lock file's folder). */
const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * Modules the AWS SDK imports statically whose code no sluice function runs, bundled as a small
 * module of ours instead (esbuild `--alias`; paths relative to the project root, where esbuild
 * runs): event-stream serde (operations such as Kinesis `SubscribeToShard`; the stand-in fails
 * such an operation with a message that names this list), the LRU cache of DynamoDB endpoint
 * discovery (off unless `AWS_ENABLE_ENDPOINT_DISCOVERY`; the stand-in is the same cache on a
 * `Map`) and the checksums' pure-JavaScript fallbacks (the stand-in is the SHA-256 and MD5 of
 * `node:crypto` the SDK uses on Node.js), Powertools idempotency's JMESPath (its keys are
 * a field or a list of fields; the stand-in evaluates those two forms as Powertools does, about 23 KB
 * less in the command functions and the notification worker), and the SDK's HTTP/2 request handler
 * (the Kinesis client's default; sluice gives that client the HTTP/1.1 one, lambdas/shared/clients.ts
 * `newKinesisClient`; the stand-in re-exports the package's HTTP/1.1 handler), and DynamoDB's endpoint-discovery
 * settings, which no DynamoDB command reads any more (the stand-in resolves them without building an endpoint cache). About 30 KB less to compile at every cold start
 * (docs/benchmarks.md, "Cold start"). Hot reload and the local synth apply them too
 * (local/watch/esbuild-options.ts).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-lambda-powertools/jmespath': './lambdas/shared/bundle-aliases/jmespath.ts',
  '@aws-lambda-powertools/jmespath/functions': './lambdas/shared/bundle-aliases/jmespath.ts',
  '@aws-sdk/middleware-endpoint-discovery': './lambdas/shared/bundle-aliases/endpoint-discovery.ts',
  '@smithy/core/checksum': './lambdas/shared/bundle-aliases/checksum.ts',
  '@smithy/core/event-streams': './lambdas/shared/bundle-aliases/event-streams.ts',
  '@smithy/node-http-handler': './lambdas/shared/bundle-aliases/node-http-handler.ts',
  'mnemonist/lru-cache': './lambdas/shared/bundle-aliases/lru-cache.ts',
};

/**
 * The second file of every function's asset: the Powertools Tracer with aws-xray-sdk-core
 * (lambdas/shared/xray-tracer.ts), about 130 KB, a third of a function's bytes. Only a function on
 * AWS with active tracing loads it (lambdas/shared/tracing.ts requires `./xray-tracer` on first use),
 * so it is built next to `index.js` as `xray-tracer.js` instead of into it: the bundle keeps that
 * require as is ({@link BUNDLING}'s externals), and Node resolves it beside `index.js` on Lambda.
 * Its bytes are then neither compiled nor run at init. test/infra/function-bundle.test.ts loads it
 * from the asset, as `index.js` does.
 */
export const TRACER_FILE = {
  entry: path.join(LAMBDAS_DIR, 'shared', 'xray-tracer.ts'),
  /** The path `tracing.ts` requires: kept out of `index.js`, resolved next to it at run time. */
  importPath: './xray-tracer',
  fileName: 'xray-tracer.js',
} as const;

/**
 * How every function's `index.js` is bundled. The AWS SDK is bundled (not taken from the runtime): esbuild
 * tree-shakes its ES modules (`mainFields: module, main`) and one minified file parses faster than
 * the runtime's SDK, hundreds of files resolved and compiled one by one — module init about half
 * (docs/benchmarks.md, "Cold start"). The bundle that runs locally is then byte for byte the one
 * deployed. Source maps are written next to the bundle for decoding stack traces offline, but not
 * enabled at run time: `--enable-source-maps` parses the map at load and costs a quarter of init.
 * SDK modules no sluice function runs are left out ({@link LAZY_SDK_MODULES}) or replaced by small
 * stand-ins ({@link BUNDLE_ALIASES}).
 *
 * These are esbuild's options only (hot reload rebuilds `index.js` from them, local/watch/); a
 * function's asset adds {@link TRACER_FILE} through {@link FUNCTION_BUNDLING}.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  externalModules: [...LAZY_SDK_MODULES, TRACER_FILE.importPath],
  esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([from, to]) => `${from}=${to}`) },
  forceDockerBundling: false,
};

/**
 * The esbuild command that writes {@link TRACER_FILE} into a function's asset, with the flags
 * NodejsFunction gives `index.js` for {@link BUNDLING} (minified, tree-shaken SDK ES modules, the
 * runtime's Node target, a source map without sources, {@link BUNDLE_ALIASES}).
 */
export function tracerFileCommand(inputDir: string, outputDir: string, target = 'node24'): string {
  // esbuild's own launcher (its native binary once installed, else a Node script with a shebang).
  const args = [
    require.resolve('esbuild/bin/esbuild'),
    '--bundle',
    path.posix.join(inputDir, path.relative(PROJECT_ROOT, TRACER_FILE.entry).split(path.sep).join('/')),
    `--outfile=${path.posix.join(outputDir, TRACER_FILE.fileName)}`,
    `--target=${target}`,
    '--platform=node',
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--main-fields=${BUNDLING.mainFields!.join(',')}`,
    ...LAZY_SDK_MODULES.map((name) => `--external:${name}`),
    ...Object.entries(BUNDLE_ALIASES).map(([from, to]) => `--alias:${from}=${to}`),
    '--log-level=warning',
  ];
  return args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** What a {@link SluiceFunction} is bundled with: {@link BUNDLING} for `index.js`, then {@link TRACER_FILE} next to it. */
export const FUNCTION_BUNDLING: nodejs.BundlingOptions = {
  ...BUNDLING,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [tracerFileCommand(inputDir, outputDir)],
  },
};

/**
 * A sluice Lambda function: Node.js 24 on arm64, bundled locally by esbuild ({@link FUNCTION_BUNDLING}:
 * minified, AWS SDK v3 included and tree-shaken, the X-Ray Tracer in a second file), JSON logs to a log group with a retention, Powertools settings.
 * Each function states only what differs.
 *
 * @example
 * new SluiceFunction(this, 'Projector', { name: 'projector', description: 'CQRS projector', stage, logRetentionDays: 7 });
 */
export class SluiceFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;

  public constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.name)) {
      throw new Error(`function name must be a kebab-case folder under lambdas/ (got "${props.name}")`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionFor(props.logRetentionDays),
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(props.handlerDir ?? path.join(LAMBDAS_DIR, props.name), 'handler.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.consumerTimeout,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Active X-Ray: Lambda samples and records each invocation; the Powertools Tracer (loaded
      // only when Lambda's X-Ray daemon is there, lambdas/shared/tracing.ts) adds SDK subsegments.
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [SHARED_ENV.powertoolsServiceName]: serviceName(props.name),
        [SHARED_ENV.powertoolsMetricsNamespace]: METRICS_NAMESPACE,
        [SHARED_ENV.stage]: props.stage,
        ...props.environment,
      },
      bundling: FUNCTION_BUNDLING,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level permissions (CDK adds exactly these two).',
    });
  }
}

function retentionFor(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (!known.includes(days)) throw new Error(`logRetentionDays must be one of ${known.join(', ')} (got ${days})`);
  return days as logs.RetentionDays;
}
