/**
 * The local Lambda runtime behaves as the AWS Node.js managed runtime: the Node major of the
 * function's `Runtime`, its handler rules and error types, the environment Lambda defines, the
 * freeze between invocations, and throttling at reserved concurrency. Tiny hand-written assets in
 * a temp dir run through the real LambdaRunner (child processes on the runtime's Node binary).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiServer } from '../../local/api';
import type { LocalFunction } from '../../local/model';
import { isThrottled, LambdaRunner, type InvokeOutcome } from '../../local/runtime';
import { runtimePackageName } from '../../local/runtime/node-binary';

const root = mkdtempSync(path.join(tmpdir(), 'sluice-fidelity-'));
const nodeModulesDir = path.resolve(__dirname, '..', '..', 'node_modules');
const lines: Array<{ source: string; line: string }> = [];
const log = (source: string, line: string) => {
  lines.push({ source, line });
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

function asset(name: string, code: string, file = 'index.js'): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), code);
  return dir;
}

function fn(name: string, code: string, overrides: Partial<LocalFunction> = {}): LocalFunction {
  return {
    logicalId: name,
    stackName: 'test',
    functionName: `test-${name}`,
    displayName: name,
    assetDir: asset(name, code),
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    environment: {},
    timeoutSeconds: 5,
    memorySize: 128,
    ...overrides,
  };
}

/** Polls `check` until it is truthy (no fixed sleep); fails after `timeoutMs`. */
async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function result<T>(outcome: InvokeOutcome): T {
  if (!outcome.ok) throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return outcome.result as T;
}

/** The process state letter in /proc/<pid>/stat: `T` is stopped (frozen). */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

const report = `exports.handler = async () => ({ node: process.versions.node, pid: process.pid });`;

describe('Node.js version', () => {
  it.each([
    ['nodejs22.x', 22],
    ['nodejs24.x', 24],
  ])('runs a %s function on Node.js %i', async (runtime, major) => {
    // AWS (lambda-nodejs.html): "Lambda supports the following Node.js runtimes." — Node.js 24 (nodejs24.x), Node.js 22 (nodejs22.x).
    const runner = new LambdaRunner([fn(`version-${major}`, report, { runtime })], { awsEndpoint: 'http://localhost:1', log });
    try {
      const { node } = result<{ node: string }>(await runner.invoke(`test-version-${major}`, {}));
      const packaged = existsSync(path.join(nodeModulesDir, runtimePackageName(major, process.platform, process.arch), 'bin', 'node'));
      if (packaged) {
        expect(node.split('.')[0]).toBe(String(major));
      } else {
        // No binary for this platform: the host's Node runs it, and the log says so.
        expect(lines.some(({ line }) => line.includes(`asks for ${runtime}`) && line.includes(process.version))).toBe(true);
      }
    } finally {
      await runner.stop();
    }
  });

  it('refuses at start-up a function whose runtime is not Node.js, naming the function and the runtime', () => {
    expect(() => new LambdaRunner([fn('python', 'x', { runtime: 'python3.12' })], { awsEndpoint: 'http://localhost:1', log })).toThrow(
      /function test-python uses runtime "python3\.12", which the local cloud cannot run/,
    );
  });

  it("logs once that an arm64 function runs on this machine's CPU when they differ", async () => {
    const other = process.arch === 'arm64' ? 'x86_64' : 'arm64';
    const runner = new LambdaRunner([fn('arch', report, { architecture: other })], { awsEndpoint: 'http://localhost:1', log });
    await runner.stop();
    expect(lines.filter(({ source, line }) => source === 'arch' && line.includes(`is ${other} in the template; it runs as ${process.arch}`))).toHaveLength(1);
  });
});

describe('handlers', () => {
  // AWS (nodejs-context.html): "Note that Lambda supports callback-based function handlers for Node.js 22 and earlier runtimes only."
  const callbackHandler = `exports.handler = (event, context, callback) => { callback(null, { via: 'callback' }); };`;
  const asyncWithCallbackParameter = `exports.handler = async (event, context, callback) => ({ via: 'promise' });`;
  let runner: LambdaRunner;

  beforeAll(() => {
    runner = new LambdaRunner(
      [fn('callback-24', callbackHandler), fn('callback-async-24', asyncWithCallbackParameter), fn('callback-22', callbackHandler, { runtime: 'nodejs22.x' })],
      { awsEndpoint: 'http://localhost:1', log },
    );
  });
  afterAll(() => runner.stop());

  it.each(['test-callback-24', 'test-callback-async-24'])('refuses a handler that takes a callback parameter on nodejs24.x (%s)', async (name) => {
    expect(await runner.invoke(name, {})).toEqual({
      ok: false,
      error: expect.objectContaining({
        errorType: 'Runtime.CallbackHandlerDeprecated',
        errorMessage:
          'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
      }),
    });
  });

  it('still runs a callback handler on nodejs22.x', async () => {
    expect(await runner.invoke('test-callback-22', {})).toEqual({ ok: true, result: { via: 'callback' } });
  });
});

describe('errorType', () => {
  // AWS (nodejs-exceptions.html): "When your code raises an error, Lambda generates a JSON representation of the error."
  // The Node.js runtime interface client reports an Error's `name` as errorType, and a thrown
  // non-Error by its `typeof` with `String(value)` as the message (src/utils/error.ts, formatError).
  const thrower = `
    class ValidationFailed extends Error { constructor(m) { super(m); this.name = 'ValidationFailed'; } }
    class Unnamed extends Error {}
    exports.handler = async (event) => {
      switch (event.kind) {
        case 'type': null.x; break;
        case 'named': throw new ValidationFailed('bad input');
        case 'unnamed': throw new Unnamed('no name set');
        case 'string': throw 'plain string';
        case 'object': throw { code: 42 };
        case 'number': return Promise.reject(7);
        case 'rejection': Promise.reject(new Error('nobody awaits me')); await new Promise((r) => setTimeout(r, 1000)); return 'late';
        case 'uncaught': setTimeout(() => { throw new RangeError('from a timer'); }, 0); await new Promise((r) => setTimeout(r, 1000)); return 'late';
        default: return { pid: process.pid };
      }
    };
  `;
  let runner: LambdaRunner;

  beforeAll(() => {
    runner = new LambdaRunner(
      [
        fn('thrower', thrower),
        fn('import-error', `require('./not-there');`),
        fn('syntax-error', `exports.handler = async () => {`),
        fn('not-exported', `exports.other = async () => 1;`),
        fn('malformed', report, { handler: 'index' }),
      ],
      { awsEndpoint: 'http://localhost:1', log },
    );
  });
  afterAll(() => runner.stop());

  it.each([
    ['type', 'TypeError', /Cannot read properties of null/],
    ['named', 'ValidationFailed', /^bad input$/],
    ['unnamed', 'Error', /^no name set$/],
    ['string', 'string', /^plain string$/],
    ['object', 'object', /^\[object Object\]$/],
    ['number', 'number', /^7$/],
  ])('reports a thrown %s with errorType %s', async (kind, errorType, message) => {
    const outcome = await runner.invoke('test-thrower', { kind });
    expect(outcome).toMatchObject({ ok: false, error: { errorType } });
    expect(!outcome.ok && outcome.error.errorMessage).toMatch(message);
  });

  it.each([
    ['rejection', 'Runtime.UnhandledPromiseRejection', /^Error: nobody awaits me$/],
    ['uncaught', 'RangeError', /^from a timer$/],
  ])('fails the invocation on an unhandled %s and replaces the sandbox', async (kind, errorType, message) => {
    const before = result<{ pid: number }>(await runner.invoke('test-thrower', {})).pid;
    const outcome = await runner.invoke('test-thrower', { kind });
    expect(outcome).toMatchObject({ ok: false, error: { errorType } });
    expect(!outcome.ok && outcome.error.errorMessage).toMatch(message);
    const after = result<{ pid: number }>(await runner.invoke('test-thrower', {})).pid;
    expect(after).not.toBe(before);
  });

  it.each([
    ['test-import-error', 'Runtime.ImportModuleError', /Cannot find module '\.\/not-there'/],
    ['test-syntax-error', 'Runtime.UserCodeSyntaxError', /SyntaxError/],
    ['test-not-exported', 'Runtime.HandlerNotFound', /^index\.handler is undefined or not exported$/],
    ['test-malformed', 'Runtime.MalformedHandlerName', /^Bad handler$/],
  ])('reports an init failure of %s as %s', async (name, errorType, message) => {
    const outcome = await runner.invoke(name, {});
    expect(outcome).toMatchObject({ ok: false, error: { errorType } });
    expect(!outcome.ok && outcome.error.errorMessage).toMatch(message);
  });
});

describe('environment', () => {
  const env = `exports.handler = async (event, context) => ({
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_') || k.startsWith('_') || k === 'NODE_OPTIONS')),
    logStreamName: context.logStreamName, logGroupName: context.logGroupName, pid: process.pid,
  });`;
  type Seen = { env: Record<string, string>; logStreamName: string; logGroupName: string; pid: number };
  let runner: LambdaRunner;

  beforeAll(() => {
    runner = new LambdaRunner(
      [fn('env-json', env, { logFormat: 'JSON', logGroup: 'test-IngestLogs', environment: { NODE_OPTIONS: '--enable-source-maps' } }), fn('env-default', env)],
      { awsEndpoint: 'http://localhost:1', log },
    );
  });
  afterAll(() => runner.stop());

  it("sets what the Lambda service defines, from the template's runtime and logging config", async () => {
    // AWS (configuration-envvars.html, "Defined runtime environment variables"):
    // "AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME – The name of the Amazon CloudWatch Logs group and stream for the function."
    const seen = result<Seen>(await runner.invoke('test-env-json', {}));
    expect(seen.env).toMatchObject({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_GROUP_NAME: 'test-IngestLogs',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(seen.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen).toMatchObject({ logStreamName: seen.env.AWS_LAMBDA_LOG_STREAM_NAME, logGroupName: 'test-IngestLogs' });
  });

  it('defaults to Text logs in /aws/lambda/<function>', async () => {
    // AWS (monitoring-cloudwatchlogs-log-level.html): "The default log format for all Lambda managed runtimes is currently plain text."
    const seen = result<Seen>(await runner.invoke('test-env-default', {}));
    expect(seen.env).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: 'Text', AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/test-env-default' });
  });

  it('gives each invocation its own _X_AMZN_TRACE_ID, and each sandbox one log stream', async () => {
    // AWS: "_X_AMZN_TRACE_ID – The X-Ray tracing header. This environment variable changes with each invocation."
    const first = result<Seen>(await runner.invoke('test-env-json', {}));
    const second = result<Seen>(await runner.invoke('test-env-json', {}));
    expect(second.pid).toBe(first.pid);
    for (const seen of [first, second]) expect(seen.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$/);
    expect(second.env._X_AMZN_TRACE_ID).not.toBe(first.env._X_AMZN_TRACE_ID);
    expect(second.logStreamName).toBe(first.logStreamName);
  });
});

describe('freeze between invocations', () => {
  // AWS (lambda-runtime-environment.html): "Lambda freezes the execution environment when the runtime and each extension
  // have completed and there are no pending events."
  const late = path.join(root, 'late-work.txt');
  const lateWork = `
    const fs = require('node:fs');
    exports.handler = async (event) => {
      // 400 ms: the freeze follows the response by the runner's reaction time, which a loaded machine stretches.
      if (event.schedule) setTimeout(() => fs.appendFileSync(${JSON.stringify(late)}, 'ran'), 400);
      if (event.arm) setTimeout(() => { throw new RangeError('overdue work failed'); }, 50);
      // One timer tick: overdue timers (due earlier) run before this one.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { pid: process.pid, lateWorkRan: fs.existsSync(${JSON.stringify(late)}) };
    };
  `;
  const onLinux = process.platform === 'linux';

  /** A separate process that writes `file` after `delayMs`: proof that so much time has passed for any unfrozen process. */
  async function witness(delayMs: number): Promise<void> {
    const file = path.join(root, `witness-${delayMs}-${Date.now()}`);
    const child = spawn(process.execPath, ['-e', `setTimeout(() => require('node:fs').writeFileSync(${JSON.stringify(file)}, 'x'), ${delayMs})`], {
      stdio: 'ignore',
    });
    await until(() => existsSync(file), `the witness process (${delayMs} ms)`);
    child.kill();
  }

  (onLinux ? it : it.skip)(
    'stops un-awaited work after the response; it runs when the next invocation thaws the sandbox, and frozen time is not timeout time',
    async () => {
      const runner = new LambdaRunner([fn('late', lateWork, { timeoutSeconds: 1 })], { awsEndpoint: 'http://localhost:1', log });
      try {
        const { pid } = result<{ pid: number }>(await runner.invoke('test-late', { schedule: true }));
        await until(() => processState(pid) === 'T', 'the sandbox to be stopped');
        // A process that was not frozen would have run a 400 ms timer by the time a 2000 ms one fired elsewhere.
        await witness(2000);
        expect(processState(pid)).toBe('T');
        expect(existsSync(late)).toBe(false);

        // Frozen for longer than the 1 s timeout, yet the next invocation runs in full, in the same sandbox,
        // and the overdue timer has run by the time its handler does.
        const next = await runner.invoke('test-late', {});
        expect(next).toEqual({ ok: true, result: { pid, lateWorkRan: true } });
      } finally {
        await runner.stop();
      }
    },
  );

  (process.platform === 'win32' ? it.skip : it)('fails the invocation that thaws a sandbox whose overdue work throws, then starts a fresh one', async () => {
    const runner = new LambdaRunner([fn('overdue', lateWork)], { awsEndpoint: 'http://localhost:1', log });
    try {
      const { pid } = result<{ pid: number }>(await runner.invoke('test-overdue', { arm: true }));
      await witness(300);
      expect(await runner.invoke('test-overdue', {})).toMatchObject({ ok: false, error: { errorType: 'RangeError', errorMessage: 'overdue work failed' } });
      expect(result<{ pid: number }>(await runner.invoke('test-overdue', {})).pid).not.toBe(pid);
    } finally {
      await runner.stop();
    }
  });

  it('stops a frozen sandbox cleanly', async () => {
    const runner = new LambdaRunner([fn('frozen-stop', report)], { awsEndpoint: 'http://localhost:1', log });
    const { pid } = result<{ pid: number }>(await runner.invoke('test-frozen-stop', {}));
    if (onLinux) await until(() => processState(pid) === 'T', 'the sandbox to be stopped');
    await runner.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('throttling', () => {
  // AWS (configuration-concurrency.html): "To throttle a function, set the reserved concurrency to zero. This stops any
  // events from being processed until you remove the limit."
  // AWS (API_Invoke.html): "TooManyRequestsException – The request throughput limit was exceeded. HTTP Status Code: 429"
  const gate = path.join(root, 'gate');
  const gated = `
    const fs = require('node:fs');
    exports.handler = async () => {
      fs.writeFileSync(${JSON.stringify(`${gate}.started`)}, 'x');
      while (!fs.existsSync(${JSON.stringify(`${gate}.open`)})) await new Promise((r) => setTimeout(r, 10));
      return 'done';
    };
  `;
  let runner: LambdaRunner;

  beforeAll(() => {
    runner = new LambdaRunner([fn('paused', report, { reservedConcurrency: 0 }), fn('single', gated, { reservedConcurrency: 1 })], {
      awsEndpoint: 'http://localhost:1',
      log,
    });
  });
  afterAll(() => runner.stop());

  it('throttles every invocation of a function with reserved concurrency 0, which never runs', async () => {
    const outcome = await runner.invoke('test-paused', {});
    expect(isThrottled(outcome)).toBe(true);
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'throttled',
      error: { errorType: 'TooManyRequestsException', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    });
    expect(runner.sandboxPids('test-paused')).toEqual([]);
  });

  it('throttles a call above the reserved concurrency at once instead of queueing it', async () => {
    const first = runner.invoke('test-single', {});
    await until(() => existsSync(`${gate}.started`), 'the first invocation to run');
    const second = await runner.invoke('test-single', {});
    expect(isThrottled(second)).toBe(true);
    writeFileSync(`${gate}.open`, 'x');
    expect(await first).toEqual({ ok: true, result: 'done' });
    expect(await runner.invoke('test-single', {})).toEqual({ ok: true, result: 'done' });
  });

  it("answers a throttled proxy integration with API Gateway's 500 Internal server error", async () => {
    // AWS (knowledge-center/api-gateway-internal-server-error): "If the backend service throttled because of a high number of
    // requests, then the API Gateway API might return an Internal server error."
    const server = await startApiServer(
      {
        logicalId: 'Api',
        stageName: 'dev',
        gatewayResponses: [],
        routes: [
          {
            method: 'GET',
            resourcePath: '/paused',
            functionName: 'test-paused',
            apiKeyRequired: false,
            validateBody: false,
            validateParameters: false,
            requestParameters: {},
          },
        ],
      },
      { port: 0, apiKey: 'k', invoke: (name, event) => runner.invoke(name, event), log },
    );
    try {
      const response = await fetch(`${server.url}/paused`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    } finally {
      await server.close();
    }
  });
});
