/**
 * The Node.js managed runtime as a directly invoked function sees it: the Lambda environment
 * variables, the Node major of `nodejs24.x`, the context object, error payloads, timeouts, the
 * freeze between invocations, callback handlers refused on Node.js 24, and invoke limits.
 */
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { OUTPUT, RUNTIME_PROBE } from './app/scenarios';
import { conformance } from './support/conformance';
import { clients, output } from './support/target';

const ENV_VARS = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html';
const NODE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html';
const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html';
const ENVIRONMENT = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html';

interface EnvReport {
  env: Record<string, string | null>;
  nodeVersion: string;
  handlerFileInTaskRoot: boolean;
  timezoneOffset: number;
  context: { functionName: string; functionVersion: string; memoryLimitInMB: string; logGroupName: string; logStreamName: string; remainingTimeInMillis: number };
}

async function invoke(functionName: string, event: unknown): Promise<{ raw: InvokeCommandOutput; payload: unknown }> {
  const raw = await clients.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = raw.Payload ? Buffer.from(raw.Payload).toString('utf8') : '';
  return { raw, payload: text === '' ? undefined : JSON.parse(text) };
}

const runtimeProbe = () => output(OUTPUT.runtimeFunction);
let report: EnvReport | undefined;
/** The runtime probe's environment, read once per file (every env test checks one field of it). */
async function envReport(): Promise<EnvReport> {
  report ??= (await invoke(runtimeProbe(), { action: 'env' })).payload as EnvReport;
  return report;
}

describe('Lambda runtime: environment variables', () => {
  conformance('AWS_LAMBDA_FUNCTION_NAME is the function name', ENV_VARS, 'AWS_LAMBDA_FUNCTION_NAME – The name of the function.', async () =>
    expect((await envReport()).env.AWS_LAMBDA_FUNCTION_NAME).toBe(runtimeProbe()),
  );

  conformance(
    'AWS_LAMBDA_FUNCTION_MEMORY_SIZE is the configured memory in MB',
    ENV_VARS,
    'AWS_LAMBDA_FUNCTION_MEMORY_SIZE – The amount of memory available to the function in MB.',
    async () => expect((await envReport()).env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe(String(RUNTIME_PROBE.memorySize)),
  );

  conformance(
    'AWS_LAMBDA_FUNCTION_VERSION is $LATEST for an unpublished function',
    ENV_VARS,
    'AWS_LAMBDA_FUNCTION_VERSION – The version of the function being executed.',
    async () => expect((await envReport()).env.AWS_LAMBDA_FUNCTION_VERSION).toBe('$LATEST'),
  );

  conformance(
    'AWS_LAMBDA_LOG_GROUP_NAME is /aws/lambda/<function name> by default',
    ENV_VARS,
    'AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME – The name of the Amazon CloudWatch Logs group and stream for the function.',
    async () => expect((await envReport()).env.AWS_LAMBDA_LOG_GROUP_NAME).toBe(`/aws/lambda/${runtimeProbe()}`),
  );

  conformance(
    'AWS_LAMBDA_LOG_STREAM_NAME is <yyyy/mm/dd>/[$LATEST]<32 hex digits>',
    ENV_VARS,
    'AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME – The name of the Amazon CloudWatch Logs group and stream for the function.',
    async () => expect((await envReport()).env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
  );

  conformance(
    'AWS_LAMBDA_LOG_FORMAT is JSON for a function with the JSON log format',
    'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html',
    "For all Lambda managed runtimes, you can choose whether your function's system logs are sent to CloudWatch Logs in unstructured plain text or JSON format. (paraphrased: the runtime reads the choice from AWS_LAMBDA_LOG_FORMAT)",
    async () => expect((await envReport()).env.AWS_LAMBDA_LOG_FORMAT).toBe('JSON'),
  );

  conformance(
    'AWS_EXECUTION_ENV is AWS_Lambda_ followed by the runtime identifier',
    ENV_VARS,
    'AWS_EXECUTION_ENV – The runtime identifier, prefixed by AWS_Lambda_ (for example, AWS_Lambda_java8).',
    async () => expect((await envReport()).env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs24.x'),
  );

  conformance('_X_AMZN_TRACE_ID holds an X-Ray trace header', ENV_VARS, '_X_AMZN_TRACE_ID – The X-Ray tracing header.', async () =>
    expect((await envReport()).env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(;|$)/),
  );

  conformance('TZ is :UTC and the clock runs in UTC', ENV_VARS, "TZ – The environment's time zone (UTC).", async () => {
    const { env, timezoneOffset } = await envReport();
    expect({ TZ: env.TZ, timezoneOffset }).toEqual({ TZ: ':UTC', timezoneOffset: 0 });
  });

  conformance(
    'LAMBDA_TASK_ROOT is the folder of the function code and _HANDLER the configured handler',
    ENV_VARS,
    'LAMBDA_TASK_ROOT – The path to your Lambda function code.',
    async () => {
      const { env, handlerFileInTaskRoot } = await envReport();
      expect({ handler: env._HANDLER, handlerFileInTaskRoot }).toEqual({ handler: 'index.handler', handlerFileInTaskRoot: true });
    },
  );
});

describe('Lambda runtime: Node.js version and context', () => {
  conformance(
    'process.version is the major version the runtime names (nodejs24.x → v24)',
    NODE,
    'Lambda supports the following Node.js runtimes. (paraphrased: Node.js 24, identifier nodejs24.x)',
    async () => expect((await envReport()).nodeVersion).toMatch(/^v24\./),
  );

  conformance(
    'the context names the function, its version, memory and log group and stream',
    'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html',
    'When Lambda runs your function, it passes a context object to the handler. This object provides methods and properties that provide information about the invocation, function, and execution environment.',
    async () => {
      const { context, env } = await envReport();
      expect(context).toMatchObject({
        functionName: runtimeProbe(),
        functionVersion: '$LATEST',
        memoryLimitInMB: String(RUNTIME_PROBE.memorySize),
        logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      });
      expect(context.remainingTimeInMillis).toBeGreaterThan(0);
      expect(context.remainingTimeInMillis).toBeLessThanOrEqual(RUNTIME_PROBE.timeoutSeconds * 1000);
    },
  );

  conformance(
    'refuses a callback-style handler on nodejs24.x (Runtime.CallbackHandlerDeprecated)',
    'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
    'Starting with Node.js 24, callback-based function handlers are not supported; use async handlers. (paraphrased)',
    async () => {
      const { raw, payload } = await invoke(output(OUTPUT.callbackFunction), {});
      expect(raw.FunctionError).toBe('Unhandled');
      expect(payload).toMatchObject({ errorType: 'Runtime.CallbackHandlerDeprecated' });
    },
  );
});

describe('Lambda runtime: errors and timeouts', () => {
  conformance(
    'a thrown error becomes {errorType, errorMessage, trace} with FunctionError Unhandled',
    ERRORS,
    'Lambda catches the error and generates a JSON document with fields for the error message, the type, and the stack trace.',
    async () => {
      const { raw, payload } = await invoke(runtimeProbe(), { action: 'throw', message: 'probe says no' });
      expect(raw.FunctionError).toBe('Unhandled');
      expect(payload).toEqual({
        errorType: 'ProbeError',
        errorMessage: 'probe says no',
        trace: expect.arrayContaining([expect.stringContaining('ProbeError: probe says no')]),
      });
    },
  );

  conformance(
    'the errorType of a built-in error is its name',
    ERRORS,
    'This code results in a reference error. Lambda catches the error and generates a JSON document with fields for the error message, the type, and the stack trace. (example: "errorType": "ReferenceError")',
    async () => {
      const { payload } = await invoke(runtimeProbe(), { action: 'throw-type', message: 'bad type' });
      expect(payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad type' });
    },
  );

  conformance(
    'an invocation that exceeds the timeout fails with Sandbox.Timedout and "Task timed out after N seconds"',
    'https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html',
    'Lambda: Function times out during Init phase (Sandbox.Timedout) (paraphrased: a timed-out invocation reports errorType Sandbox.Timedout and "Task timed out after 2.00 seconds")',
    async () => {
      const { raw, payload } = await invoke(runtimeProbe(), { action: 'sleep', ms: RUNTIME_PROBE.timeoutSeconds * 1000 + 3000 });
      expect(raw.FunctionError).toBe('Unhandled');
      expect(payload).toMatchObject({
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringContaining(`Task timed out after ${RUNTIME_PROBE.timeoutSeconds.toFixed(2)} seconds`),
      });
    },
    20_000,
  );

  conformance(
    'after a timeout the next invocation runs in a fresh execution environment',
    ENVIRONMENT,
    'If the Lambda function crashes or times out during the Invoke phase, Lambda resets the execution environment.',
    async () => {
      const before = (await invoke(runtimeProbe(), { action: 'sandbox' })).payload as { sandboxId: string };
      await invoke(runtimeProbe(), { action: 'sleep', ms: RUNTIME_PROBE.timeoutSeconds * 1000 + 3000 });
      const after = (await invoke(runtimeProbe(), { action: 'sandbox' })).payload as { sandboxId: string };
      expect(after.sandboxId).not.toBe(before.sandboxId);
    },
    20_000,
  );

  conformance(
    'a handler that returns undefined answers null',
    'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
    "The runtime serializes the handler's return value with JSON.stringify; undefined becomes null. (paraphrased)",
    async () => {
      const { raw, payload } = await invoke(runtimeProbe(), { action: 'undefined' });
      expect(raw.FunctionError).toBeUndefined();
      expect(payload).toBeNull();
    },
  );
});

describe('Lambda runtime: freeze, limits, throttling', () => {
  conformance(
    'freezes the execution environment between invocations: un-awaited work does not run',
    ENVIRONMENT,
    'After the function and all extensions have completed, Lambda maintains the execution environment for some time in anticipation of another function invocation. In effect, Lambda freezes the execution environment.',
    async () => {
      await invoke(runtimeProbe(), { action: 'freeze-arm' });
      // The gap between the two invocations is the experiment's input (time that must not be used), not a wait for the pipeline.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { payload } = await invoke(runtimeProbe(), { action: 'freeze-read' });
      const read = payload as { armed: boolean; ticks: number; elapsedMs: number };
      expect(read.armed).toBe(true);
      // A 10 ms interval: unfrozen it ticks ~100 times in that second; frozen only while an invocation runs.
      expect(read.ticks).toBeLessThan(read.elapsedMs / 10 / 4);
    },
  );

  conformance(
    'refuses an invocation payload over 6 MB (RequestEntityTooLargeException)',
    'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
    'Invocation payload (request and response) – 6 MB each for request and response (synchronous)',
    async () => {
      const error = await invoke(runtimeProbe(), { action: 'sandbox', padding: 'x'.repeat(6 * 1024 * 1024 + 1) }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'RequestEntityTooLargeException' });
    },
  );

  conformance(
    'throttles every invocation of a function with reserved concurrency 0 (TooManyRequestsException)',
    'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    'To throttle a function, set the reserved concurrency to zero. This stops any events from being processed until you remove the limit.',
    async () => {
      const error = await invoke(output(OUTPUT.functionName('kinesisThrottled')), {}).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'TooManyRequestsException' });
    },
  );
});
