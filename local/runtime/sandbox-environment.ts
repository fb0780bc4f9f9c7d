/**
 * What the Lambda service sets in a sandbox, as the AWS page "Using Lambda environment variables"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html, "Defined runtime
 * environment variables") lists it, and the per-invocation X-Ray header. Pure: clock and
 * randomness come in as arguments, so the formats are unit-tested.
 */
import { LOCAL_REGION, type LocalFunction } from '../model';
import { DEFAULT_RUNTIME } from './node-binary';

/** AWS sets this for X-Ray; nothing listens locally, and the X-Ray SDK only logs when it cannot send. */
const XRAY_DAEMON_ADDRESS = '127.0.0.1:2000';

export interface SandboxSettings {
  readonly awsEndpoint: string;
  readonly nodeModulesDir: string;
  /** This sandbox's stream, {@link logStreamName}: one per execution environment, as on AWS. */
  readonly logStreamName: string;
  /** Where the runtime's own files live (AWS: /var/runtime). */
  readonly runtimeDir: string;
  /** True when the host's Node runs the function instead of its runtime's (see node-binary.ts). */
  readonly onHostNode: boolean;
}

/** `/aws/lambda/<function>`, or the template's `LoggingConfig.LogGroup`. */
export function logGroupName(fn: Pick<LocalFunction, 'functionName' | 'logGroup'>): string {
  return fn.logGroup ?? `/aws/lambda/${fn.functionName}`;
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, the stream of one execution environment. */
export function logStreamName(now: Date, random: Buffer): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${random.subarray(0, 16).toString('hex').padEnd(32, '0')}`;
}

/**
 * The `_X_AMZN_TRACE_ID` of one invocation: `Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0|1`.
 *
 * @param random at least 20 random bytes
 */
export function traceHeader(now: Date, random: Buffer, sampled: boolean): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${seconds}-${random.subarray(0, 12).toString('hex')};Parent=${random.subarray(12, 20).toString('hex')};Sampled=${sampled ? 1 : 0}`;
}

/**
 * V8 heap flags the Node.js runtime's bootstrap adds from the memory size, unless NODE_OPTIONS
 * already sets one: new space is a tenth of the memory (semi space half of that), old space the rest.
 * `semiSpaceMb` replaces the semi space the bootstrap would give (the local runner's
 * {@link LOCAL_SEMI_SPACE_MB}); the old space stays the runtime's.
 */
export function memoryFlags(memorySizeMb: number, nodeOptions: string | undefined, semiSpaceMb?: number): string[] {
  if (/--max[-_](old|semi)[-_]space[-_]size/.test(nodeOptions ?? '')) return [];
  const newSpace = Math.floor(memorySizeMb / 10);
  return [`--max-semi-space-size=${semiSpaceMb ?? Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${Math.max(16, memorySizeMb - newSpace)}`];
}

/**
 * The semi space a local sandbox gets, in MB, instead of the runtime's (a twentieth of the memory:
 * 12 MB at 256 MB). V8 keeps its young generation (up to 3 semi spaces) resident once a load has
 * grown it, and a frozen sandbox never runs the idle GC that would give it back: under the bench's
 * load a sandbox held 43–46 MB of V8 heap pages with 12 MB, 9–15 MB with 1 MB. Only GC timing
 * changes (more, smaller scavenges); the old space, which decides when a function runs out of
 * heap, stays the runtime's. `SLUICE_SANDBOX_SEMI_SPACE_MB` sets another size, `lambda` the runtime's.
 */
export const LOCAL_SEMI_SPACE_MB = 1;

/**
 * The semi space from `SLUICE_SANDBOX_SEMI_SPACE_MB`: unset → {@link LOCAL_SEMI_SPACE_MB}, `lambda` →
 * undefined (the runtime's own), else a whole number of MB ≥ 1.
 *
 * @throws Error naming the variable and the value for anything else
 */
export function semiSpaceFromEnv(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return LOCAL_SEMI_SPACE_MB;
  if (raw === 'lambda') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`SLUICE_SANDBOX_SEMI_SPACE_MB must be a whole number of MB ≥ 1, or "lambda" for the runtime's own size (got "${raw}")`);
  }
  return value;
}

/** The webhook signing key the local cloud gives the notification worker when `SLUICE_WEBHOOK_SECRET` is not set. */
export const DEFAULT_LOCAL_WEBHOOK_SECRET = 'local-webhook-secret';

/**
 * There is no Secrets Manager on the local cloud: a function the stack gives `WEBHOOK_SECRET_ARN`
 * (the notification worker, when a webhook URL is set) gets the key itself as `WEBHOOK_SECRET`,
 * from the host's `SLUICE_WEBHOOK_SECRET` or {@link DEFAULT_LOCAL_WEBHOOK_SECRET}.
 */
export function localWebhookSecret(environment: Readonly<Record<string, string>>, hostEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (!environment.WEBHOOK_SECRET_ARN) return {};
  return { WEBHOOK_SECRET: hostEnv.SLUICE_WEBHOOK_SECRET || DEFAULT_LOCAL_WEBHOOK_SECRET };
}

/**
 * The environment a function sees: its own variables (NODE_OPTIONS among them, which Node reads
 * itself) plus what the Lambda service sets, nothing of the parent's. `_X_AMZN_TRACE_ID` is set
 * per invocation by the bootstrap, as the runtime does.
 */
export function lambdaEnvironment(fn: LocalFunction, settings: SandboxSettings): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...fn.environment,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: settings.awsEndpoint,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? DEFAULT_RUNTIME}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_FORMAT: fn.logFormat ?? 'Text',
    ...(fn.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: fn.applicationLogLevel } : {}),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
    AWS_LAMBDA_LOG_STREAM_NAME: settings.logStreamName,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: XRAY_DAEMON_ADDRESS,
    LAMBDA_TASK_ROOT: fn.assetDir,
    LAMBDA_RUNTIME_DIR: settings.runtimeDir,
    _HANDLER: fn.handler,
    NODE_PATH: settings.nodeModulesDir,
    // Not an AWS variable: tells sluice's own code it runs on the local cloud (the notification
    // worker then allows a plain-http webhook to localhost, which it refuses on AWS).
    SLUICE_LOCAL: '1',
    ...localWebhookSecret(fn.environment),
    // Only when the host's (older) Node stands in: the SDK's warning would be about this machine.
    ...(settings.onHostNode ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {}),
  };
}
