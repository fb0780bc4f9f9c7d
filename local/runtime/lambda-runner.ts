import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalFunction } from '../model';

/** What a failed invocation reports, as the Lambda Invoke API's function error payload. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: FunctionError };

export interface LambdaRunnerOptions {
  /** The AWS endpoint the functions' SDK clients talk to (AWS_ENDPOINT_URL). */
  readonly awsEndpoint: string;
  /** Receives each line a function writes to stdout or stderr, and the runner's own notices. */
  readonly log: (source: string, line: string) => void;
  /** Concurrent instances per function without reserved concurrency. @default 10 */
  readonly defaultConcurrency?: number;
  /** node_modules the functions resolve `@aws-sdk/*` from. @default the project's node_modules */
  readonly nodeModulesDir?: string;
}

/** Lambda's synchronous invocation payload limit (request and response). */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** Lambda's init phase limit for on-demand functions. */
const INIT_TIMEOUT_MS = 10_000;
const BOOTSTRAP = path.join(__dirname, 'bootstrap.js');

type ChildMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'result'; id: string; payload: string }
  | { type: 'error'; id: string; error: FunctionError };

interface Pending {
  readonly id: string;
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

/** One sandbox: a child process that runs one invocation at a time. */
class Instance {
  readonly ready: Promise<FunctionError | undefined>;
  private pending: Pending | undefined;
  private exited = false;
  private killed = false;
  private reserved = false;
  private readonly exitedPromise: Promise<void>;

  constructor(private readonly child: ChildProcess, private readonly fn: LocalFunction, private readonly log: (line: string) => void) {
    this.exitedPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    this.ready = new Promise((resolve) => {
      const initTimer = setTimeout(() => {
        this.kill();
        resolve({ errorType: 'Runtime.InitError', errorMessage: `INIT_REPORT Init Duration: ${INIT_TIMEOUT_MS} ms Phase: init Status: timeout` });
      }, INIT_TIMEOUT_MS);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') { clearTimeout(initTimer); resolve(undefined); return; }
        if (message.type === 'init-error') { clearTimeout(initTimer); resolve(message.error); return; }
        this.settle(message.id, message.type === 'result' ? parsePayload(message.payload) : { ok: false, error: message.error });
      });
      child.once('exit', (code, signal) => {
        this.exited = true;
        clearTimeout(initTimer);
        resolve({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}` });
        if (this.pending) {
          this.settle(this.pending.id, {
            ok: false,
            error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${this.pending.id} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}` },
          });
        }
      });
    });
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  /** Busy while an invocation runs, and from its cold start until its first invocation begins. */
  get busy(): boolean {
    return this.pending !== undefined || this.reserved;
  }

  /** Keeps a starting instance for the invocation that started it, so no other call takes it first. */
  reserve(): void {
    this.reserved = true;
  }

  invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    this.reserved = false;
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // Lambda ends the sandbox on a timeout; the next invocation gets a cold one.
        this.log(`${new Date().toISOString()} ${requestId} Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`);
        this.settle(requestId, {
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds` },
        });
        this.kill();
      }, timeoutMs);
      this.pending = { id: requestId, resolve, timer };
      this.child.send({
        type: 'invoke',
        id: requestId,
        event,
        deadline,
        context: {
          functionName: this.fn.functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: functionArn(this.fn.functionName),
          memoryLimitInMB: String(this.fn.memorySize),
          awsRequestId: requestId,
          logGroupName: logGroupName(this.fn.functionName),
          logStreamName: logStreamName(),
        },
      });
    });
  }

  kill(): void {
    this.killed = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.kill();
    await this.exitedPromise;
  }

  private settle(id: string, outcome: InvokeOutcome): void {
    const pending = this.pending;
    if (!pending || pending.id !== id) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    pending.resolve(outcome);
  }
}

function parsePayload(payload: string): InvokeOutcome {
  if (Buffer.byteLength(payload) > PAYLOAD_LIMIT_BYTES) {
    return { ok: false, error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${PAYLOAD_LIMIT_BYTES} bytes).` } };
  }
  return { ok: true, result: JSON.parse(payload) as unknown };
}

export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
}

/** The per-function pool: warm instances, cold starts up to the concurrency cap, then a queue. */
class FunctionPool {
  private readonly instances: Instance[] = [];
  private readonly waiting: Array<() => void> = [];
  private starting = 0;
  private stopped = false;

  constructor(private readonly fn: LocalFunction, private readonly options: Required<Pick<LambdaRunnerOptions, 'awsEndpoint' | 'log' | 'nodeModulesDir'>>, private readonly cap: number) {}

  async invoke(event: unknown): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    const size = Buffer.byteLength(JSON.stringify(event ?? null));
    if (size > PAYLOAD_LIMIT_BYTES) {
      return { ok: false, error: { errorType: 'RequestEntityTooLargeException', errorMessage: `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation` } };
    }
    if (this.cap < 1) {
      return { ok: false, error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded. (reserved concurrency is 0)' } };
    }
    for (;;) {
      if (this.stopped) return stoppedOutcome();
      const idle = this.instances.find((instance) => instance.alive && !instance.busy);
      if (idle) return idle.invoke(event, requestId);
      if (this.instances.length + this.starting < this.cap) {
        const instance = await this.start();
        if ('errorType' in instance) return { ok: false, error: instance };
        return instance.invoke(event, requestId);
      }
      // At the concurrency limit AWS throttles (and event sources retry); locally the call waits.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.splice(0).forEach((wake) => wake());
    await Promise.all(this.instances.map((instance) => instance.stop()));
  }

  /** Called when an invocation ends: drop dead instances and wake one waiter. */
  release(): void {
    for (let i = this.instances.length - 1; i >= 0; i -= 1) {
      if (!this.instances[i].alive) this.instances.splice(i, 1);
    }
    this.waiting.shift()?.();
  }

  private async start(): Promise<Instance | FunctionError> {
    this.starting += 1;
    const { fn } = this;
    const child = fork(BOOTSTRAP, [], {
      cwd: fn.assetDir,
      env: lambdaEnvironment(fn, this.options),
      // Never the parent's execArgv: under tsx or jest that would load their hooks into the sandbox.
      execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(fn.memorySize * 0.9))}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const log = (line: string) => this.options.log(fn.displayName, line);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', log);
    }
    const instance = new Instance(child, fn, log);
    instance.reserve();
    this.instances.push(instance);
    this.starting -= 1;
    const initError = await instance.ready;
    if (initError) {
      log(`INIT failed: ${initError.errorType}: ${initError.errorMessage}`);
      await instance.stop();
      this.release();
      return initError;
    }
    // Warm instances wake waiters through release() when their invocation ends.
    const invokeOriginal = instance.invoke.bind(instance);
    instance.invoke = (event, requestId) => {
      const outcome = invokeOriginal(event, requestId);
      void outcome.then(() => this.release());
      return outcome;
    };
    return instance;
  }
}

function stoppedOutcome(): InvokeOutcome {
  return { ok: false, error: { errorType: 'Runtime.Stopped', errorMessage: 'the local Lambda runner is stopping' } };
}

/** The environment a function sees: its own variables plus what the Lambda service sets, nothing of the parent's. */
export function lambdaEnvironment(fn: LocalFunction, options: { awsEndpoint: string; nodeModulesDir: string }): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...fn.environment,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: options.awsEndpoint,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.functionName),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: fn.assetDir,
    _HANDLER: fn.handler,
    NODE_PATH: options.nodeModulesDir,
    // The sandbox runs on this machine's Node.js (20), not the function's runtime (24): the SDK's
    // warning about old Node versions is about the local machine, not the deployed function.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Runs the synthesized functions locally, one child process per concurrent instance.
 *
 * @example
 * const runner = new LambdaRunner(app.functions, { awsEndpoint, log });
 * const outcome = await runner.invoke('sluice-dev-ingest', event);
 */
export class LambdaRunner {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly functions = new Map<string, LocalFunction>();
  private readonly defaultConcurrency: number;
  private readonly activity = new InvocationActivity();

  constructor(functions: readonly LocalFunction[], options: LambdaRunnerOptions) {
    const resolved = {
      awsEndpoint: options.awsEndpoint,
      log: options.log,
      nodeModulesDir: options.nodeModulesDir ?? path.resolve(__dirname, '..', '..', 'node_modules'),
    };
    this.defaultConcurrency = options.defaultConcurrency ?? 10;
    for (const fn of functions) {
      this.functions.set(fn.functionName, fn);
      this.pools.set(fn.functionName, new FunctionPool(fn, resolved, this.concurrencyOf(fn.functionName)));
    }
  }

  /** The function's definition; throws for a name the app does not define. */
  describe(functionName: string): LocalFunction {
    const fn = this.functions.get(functionName);
    if (!fn) throw new Error(`unknown function "${functionName}" (known: ${[...this.functions.keys()].join(', ')})`);
    return fn;
  }

  /** Concurrent instances allowed for the function. */
  concurrencyOf(functionName: string): number {
    return this.describe(functionName).reservedConcurrency ?? this.defaultConcurrency;
  }

  /**
   * Invokes the function synchronously (RequestResponse).
   *
   * @throws Error for a function name the app does not define.
   */
  invoke(functionName: string, event: unknown): Promise<InvokeOutcome> {
    this.describe(functionName);
    return this.activity.track(functionName, this.pools.get(functionName)!.invoke(event));
  }

  /** Invocations running or waiting for an instance, per function (only functions with any). */
  inFlight(): Record<string, number> {
    return this.activity.inFlight();
  }

  /** Invocations started since the runner was created (a settled check compares it before and after). */
  get invocationsStarted(): number {
    return this.activity.started;
  }

  /** Calls `listener` after each invocation ends; returns the function that removes it. */
  onInvocationEnd(listener: () => void): () => void {
    return this.activity.onEnd(listener);
  }

  /** Kills every instance and waits until each process has exited. */
  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}

/** Counts invocations in flight per function, for `GET /_sluice/settled`. */
class InvocationActivity {
  private readonly running = new Map<string, number>();
  private readonly endListeners = new Set<() => void>();
  started = 0;

  track(functionName: string, outcome: Promise<InvokeOutcome>): Promise<InvokeOutcome> {
    this.started += 1;
    this.running.set(functionName, (this.running.get(functionName) ?? 0) + 1);
    const end = () => {
      const left = (this.running.get(functionName) ?? 1) - 1;
      if (left > 0) this.running.set(functionName, left);
      else this.running.delete(functionName);
      this.endListeners.forEach((listener) => listener());
    };
    outcome.then(end, end);
    return outcome;
  }

  inFlight(): Record<string, number> {
    return Object.fromEntries(this.running);
  }

  onEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }
}
