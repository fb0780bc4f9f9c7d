/**
 * The variables the Lambda service defines, checked against the AWS page "Using Lambda environment
 * variables" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html), section
 * "Defined runtime environment variables".
 */
import type { LocalFunction } from '../../../../local/model';
import {
  DEFAULT_LOCAL_WEBHOOK_SECRET,
  lambdaEnvironment,
  localWebhookSecret,
  logGroupName,
  logStreamName,
  LOCAL_SEMI_SPACE_MB,
  memoryFlags,
  semiSpaceFromEnv,
  traceHeader,
} from '../../../../local/runtime/sandbox-environment';

const fn: LocalFunction = {
  logicalId: 'Ingest',
  stackName: 's',
  functionName: 'sluice-dev-ingest',
  displayName: 'ingest',
  assetDir: '/asset',
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  environment: { NODE_OPTIONS: '--enable-source-maps', AWS_REGION: 'eu-west-9' },
  timeoutSeconds: 30,
  memorySize: 256,
};
const settings = {
  awsEndpoint: 'http://localhost:4566',
  nodeModulesDir: '/nm',
  logStreamName: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
  runtimeDir: '/rt',
  onHostNode: false,
};
const bytes = Buffer.from(Array.from({ length: 20 }, (_, i) => i + 1));

describe('lambdaEnvironment', () => {
  it("sets the runtime identifier, initialization type and the function's own NODE_OPTIONS", () => {
    // AWS: "AWS_EXECUTION_ENV – The runtime identifier, prefixed by AWS_Lambda_ (for example, AWS_Lambda_java8)."
    // AWS: "AWS_LAMBDA_INITIALIZATION_TYPE – The initialization type of the function, which is on-demand, provisioned-concurrency, snap-start, or lambda-managed-instances."
    const env = lambdaEnvironment(fn, settings);
    expect(env).toMatchObject({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: 'sluice-dev-ingest',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: '/asset',
      TZ: ':UTC',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('lets no function variable override a reserved one', () => {
    // AWS: "The keys for these environment variables are reserved and cannot be set in your function configuration."
    expect(lambdaEnvironment(fn, settings).AWS_REGION).toBe('us-east-1');
  });

  it('defaults the log format to Text and the log group to /aws/lambda/<function>', () => {
    // AWS (monitoring-cloudwatchlogs-log-level.html): "The default log format for all Lambda managed runtimes is currently plain text."
    const env = lambdaEnvironment(fn, settings);
    expect(env).toMatchObject({
      AWS_LAMBDA_LOG_FORMAT: 'Text',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/sluice-dev-ingest',
      AWS_LAMBDA_LOG_STREAM_NAME: settings.logStreamName,
    });
    expect(env).not.toHaveProperty('AWS_LAMBDA_LOG_LEVEL');
  });

  it("takes format, group and level from the template's LoggingConfig", () => {
    const env = lambdaEnvironment({ ...fn, logFormat: 'JSON', logGroup: 'Stateless-IngestLogs41B5EF21', applicationLogLevel: 'WARN' }, settings);
    expect(env).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_GROUP_NAME: 'Stateless-IngestLogs41B5EF21', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
  });

  it("silences the SDK's old-Node warning only when the host's Node stands in for the runtime's", () => {
    expect(lambdaEnvironment(fn, settings)).not.toHaveProperty('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED');
    expect(lambdaEnvironment(fn, { ...settings, onHostNode: true })).toHaveProperty('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  });

  it('leaves _X_AMZN_TRACE_ID to each invocation', () => {
    // AWS: "_X_AMZN_TRACE_ID – The X-Ray tracing header. This environment variable changes with each invocation."
    expect(lambdaEnvironment(fn, settings)).not.toHaveProperty('_X_AMZN_TRACE_ID');
  });
});

describe('names and headers', () => {
  it('formats a log stream as YYYY/MM/DD/[$LATEST]<32 hex>', () => {
    expect(logStreamName(new Date('2026-11-29T13:00:00Z'), Buffer.alloc(16, 0xab))).toBe(`2026/11/29/[$LATEST]${'ab'.repeat(16)}`);
  });

  it("uses the template's log group when it names one", () => {
    expect(logGroupName({ functionName: 'f', logGroup: 'custom' })).toBe('custom');
    expect(logGroupName({ functionName: 'f' })).toBe('/aws/lambda/f');
  });

  it('formats a trace header as Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0|1', () => {
    const now = new Date(0x6b0c24b0 * 1000);
    expect(traceHeader(now, bytes, false)).toBe('Root=1-6b0c24b0-0102030405060708090a0b0c;Parent=0d0e0f1011121314;Sampled=0');
    expect(traceHeader(now, bytes, true)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
  });
});

describe('memoryFlags', () => {
  it('gives V8 a tenth of the memory as new space and the rest as old space', () => {
    expect(memoryFlags(256, undefined)).toEqual(['--max-semi-space-size=12', '--max-old-space-size=231']);
  });

  it('adds nothing when NODE_OPTIONS already sizes the heap', () => {
    expect(memoryFlags(256, '--enable-source-maps --max-old-space-size=100')).toEqual([]);
    expect(memoryFlags(256, '--max_semi_space_size=4')).toEqual([]);
    expect(memoryFlags(256, '--max-semi-space-size=4', 1)).toEqual([]);
  });

  it("puts the local runner's semi space in place of the runtime's, and keeps the runtime's old space", () => {
    expect(memoryFlags(256, undefined, 1)).toEqual(['--max-semi-space-size=1', '--max-old-space-size=231']);
  });
});

describe('semiSpaceFromEnv', () => {
  it('defaults to the local semi space, takes a size in MB, and "lambda" for the runtime\'s own', () => {
    expect(semiSpaceFromEnv(undefined)).toBe(LOCAL_SEMI_SPACE_MB);
    expect(semiSpaceFromEnv('')).toBe(LOCAL_SEMI_SPACE_MB);
    expect(semiSpaceFromEnv('4')).toBe(4);
    expect(semiSpaceFromEnv('lambda')).toBeUndefined();
  });

  it.each(['0', '1.5', 'big', '-2'])('refuses %p, naming the variable and the value', (raw) => {
    expect(() => semiSpaceFromEnv(raw)).toThrow(
      `SLUICE_SANDBOX_SEMI_SPACE_MB must be a whole number of MB ≥ 1, or "lambda" for the runtime's own size (got "${raw}")`,
    );
  });
});

describe('localWebhookSecret', () => {
  const arn = { WEBHOOK_SECRET_ARN: 'Stateless-WebhookSecret' };

  it('gives a function with WEBHOOK_SECRET_ARN the key itself, from SLUICE_WEBHOOK_SECRET', () => {
    expect(localWebhookSecret(arn, { SLUICE_WEBHOOK_SECRET: 'shared-with-receiver' })).toEqual({ WEBHOOK_SECRET: 'shared-with-receiver' });
  });

  it('defaults the key when SLUICE_WEBHOOK_SECRET is unset or empty', () => {
    expect(localWebhookSecret(arn, {})).toEqual({ WEBHOOK_SECRET: DEFAULT_LOCAL_WEBHOOK_SECRET });
    expect(localWebhookSecret(arn, { SLUICE_WEBHOOK_SECRET: '' })).toEqual({ WEBHOOK_SECRET: 'local-webhook-secret' });
  });

  it('gives no key to a function without WEBHOOK_SECRET_ARN', () => {
    expect(localWebhookSecret({}, { SLUICE_WEBHOOK_SECRET: 'x' })).toEqual({});
    expect(lambdaEnvironment(fn, settings)).not.toHaveProperty('WEBHOOK_SECRET');
  });

  it("is part of the function's environment", () => {
    expect(lambdaEnvironment({ ...fn, environment: arn }, settings).WEBHOOK_SECRET).toBe(DEFAULT_LOCAL_WEBHOOK_SECRET);
  });
});
