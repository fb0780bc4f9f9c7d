import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalFunction } from '../model';
import { throttledOutcome, type FunctionError, type InvokeOutcome } from './invoke-outcome';
import { inspectFlag, type InspectTarget } from './inspect';
import { sourceMapProblems } from './source-map-check';
import { chooseNodeBinary, DEFAULT_RUNTIME, type NodeHost } from './node-binary';
import { lambdaEnvironment, logGroupName, logStreamName, memoryFlags, semiSpaceFromEnv, traceHeader } from './sandbox-environment';

export { isThrottled } from './invoke-outcome';
export type { FunctionError, InvokeOutcome, ThrottledOutcome } from './invoke-outcome';

export interface LambdaRunnerOptions {
  /** The AWS endpoint the functions' SDK clients talk to (AWS_ENDPOINT_URL). */
  readonly awsEndpoint: string;
  /** Receives each line a function writes to stdout or stderr, and the runner's own notices. */
  readonly log: (source: string, line: string) => void;
  /**
   * Concurrent instances per function without reserved concurrency; above it a call waits (a
   * limit of this machine, not AWS's: AWS would scale on up to the account limit). @default 10
   */
  readonly defaultConcurrency?: number;
  /** node_modules the functions resolve `@aws-sdk/*` from, and the runtime Node packages are in. @default the project's node_modules */
  readonly nodeModulesDir?: string;
  /** The machine the functions run on. @default this process's platform, arch and Node */
  readonly host?: NodeHost;
  /**
   * Functions whose sandbox runs with a Node inspector (`npm start -- --inspect`, see inspect.ts):
   * one sandbox at a time, started at once and again whenever it ends, never frozen, its timeout
   * logged but not enforced (a debugger paused at a breakpoint would otherwise look like a hang).
   */
  readonly inspect?: readonly InspectTarget[];
  /**
   * A sandbox idle this long is ended (AWS keeps an idle execution environment for minutes, with
   * no promise; locally memory is the scarcer thing). @default SLUICE_SANDBOX_IDLE_MS or 60 000
   */
  readonly idleSandboxMs?: number;
  /** Idle sandboxes kept per function at most; the longest idle beyond it are ended. @default SLUICE_MAX_IDLE_SANDBOXES or 1 */
  readonly maxIdleSandboxes?: number;
  /** How long the sandboxes beyond `maxIdleSandboxes` may stay idle. @default SLUICE_SURPLUS_IDLE_MS or {@link SURPLUS_IDLE_MS} */
  readonly surplusIdleSandboxMs?: number;
  /**
   * V8 semi space of a sandbox in MB; `'lambda'` for the runtime's own (a twentieth of the memory).
   * @default SLUICE_SANDBOX_SEMI_SPACE_MB or LOCAL_SEMI_SPACE_MB (sandbox-environment.ts: why)
   */
  readonly semiSpaceMb?: number | 'lambda';
}

/**
 * How long a sandbox beyond a function's kept idle ones may stay idle before it is ended. AWS keeps
 * an idle execution environment for minutes; 5 s here made a steady load of a few requests in
 * flight cold-start its 3rd and 4th sandbox again and again (1–3 s each: the latency p99), since
 * those are used only when the others are busy. 30 s keeps a load's sandboxes between its peaks
 * and still ends a burst's extras half a minute after it (each is about 65 MB resident).
 */
export const SURPLUS_IDLE_MS = 30_000;

/** How often the idle reaper looks: a fraction of the idle time, at most every 5 s. */
function reapEveryMs(idleMs: number): number {
  return Math.max(100, Math.min(5_000, Math.floor(idleMs / 4)));
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0 (got "${raw}")`);
  return value;
}

/** Lambda's synchronous invocation payload limit (request and response). */
const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** Lambda's init phase limit for on-demand functions. */
const INIT_TIMEOUT_MS = 10_000;
const BOOTSTRAP = path.join(__dirname, 'bootstrap.js');
/** POSIX job control freezes sandboxes; Windows has none, so there they keep running between invocations. */
const CAN_FREEZE = process.platform !== 'win32';
const LIVE_SANDBOXES = Symbol.for('sluice.lambda-runner.live-sandboxes');

type ChildMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'result'; id: string; payload: string }
  /** `fatal`: the sandbox is exiting (uncaught exception, unhandled rejection), as on AWS. */
  | { type: 'error'; id?: string; error: FunctionError; fatal?: boolean };

interface Pending {
  readonly id: string;
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Sandboxes alive in this process: thawed and killed if the process exits without stopping them
 * (a frozen child would otherwise never see its IPC channel close). One set and one exit hook per
 * process, however often this module is loaded (jest loads it once per test file).
 */
const liveChildren: Set<ChildProcess> = (() => {
  const registry = globalThis as { [LIVE_SANDBOXES]?: Set<ChildProcess> };
  const existing = registry[LIVE_SANDBOXES];
  if (existing) return existing;
  const children = new Set<ChildProcess>();
  registry[LIVE_SANDBOXES] = children;
  process.once('exit', () => {
    for (const child of children) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
  return children;
})();

/**
 * One sandbox: a child process that runs one invocation at a time and, like an AWS execution
 * environment, is frozen (SIGSTOP) from the moment it answers until the next invocation thaws it
 * (SIGCONT): timers and other un-awaited work run only while an invocation is in progress.
 */
class Instance {
  readonly ready: Promise<FunctionError | undefined>;
  /** The key of the work it last ran (a mapping's shard): such work goes back to it while it is idle ({@link InvokeOptions.affinity}). */
  affinity: string | undefined;
  /** The sandbox's CloudWatch stream: one per execution environment. */
  readonly logStreamName: string;
  private pending: Pending | undefined;
  private exited = false;
  private killed = false;
  private reserved = false;
  private frozen = false;
  private initDone = false;
  /** When the last invocation ended (or the init, before any): the idle reaper reads it. */
  private idleSince = Date.now();
  readonly exitedPromise: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly fn: LocalFunction,
    private readonly log: (line: string) => void,
    logStream: string,
    /** Runs with an inspector: never frozen (the debugger could not talk to it), timeout not enforced. */
    private readonly inspected = false,
  ) {
    this.logStreamName = logStream;
    liveChildren.add(child);
    this.exitedPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    this.ready = new Promise((resolve) => {
      const initTimer = setTimeout(() => {
        this.kill();
        resolve({ errorType: 'Runtime.InitError', errorMessage: `INIT_REPORT Init Duration: ${INIT_TIMEOUT_MS} ms Phase: init Status: timeout` });
      }, INIT_TIMEOUT_MS);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(initTimer);
          this.initDone = true;
          this.idleSince = Date.now();
          resolve(undefined);
          return;
        }
        if (message.type === 'init-error') {
          clearTimeout(initTimer);
          resolve(message.error);
          return;
        }
        if (message.type === 'error' && message.fatal) {
          // The runtime exits after an uncaught error: no later invocation may land in this sandbox.
          this.killed = true;
          const id = message.id ?? this.pending?.id;
          if (id !== undefined) this.settle(id, { ok: false, error: message.error }, false);
          return;
        }
        if (message.id === undefined) return;
        this.settle(message.id, message.type === 'result' ? parsePayload(message.payload) : { ok: false, error: message.error }, true);
      });
      child.once('exit', (code, signal) => {
        this.exited = true;
        liveChildren.delete(child);
        clearTimeout(initTimer);
        resolve({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}` });
        if (this.pending) {
          this.settle(
            this.pending.id,
            {
              ok: false,
              error: {
                errorType: 'Runtime.ExitError',
                errorMessage: `RequestId: ${this.pending.id} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
              },
            },
            false,
          );
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

  /** Hands a started instance to whoever comes next (a sandbox started ahead of any invocation). */
  unreserve(): void {
    this.reserved = false;
  }

  /** True once the init phase succeeded. */
  get initialized(): boolean {
    return this.initDone;
  }

  /** Milliseconds since the sandbox last finished work (0 while busy). */
  idleMs(now: number): number {
    return this.busy ? 0 : now - this.idleSince;
  }

  /** Runs one invocation; `payload` is the event as JSON text, as the Lambda service hands it to the runtime. */
  invoke(payload: string, requestId: string): Promise<InvokeOutcome> {
    this.reserved = false;
    this.thaw();
    // The timeout starts now, after the thaw: time spent frozen never counts against it.
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.inspected) {
          // A debugger paused at a breakpoint must not lose its sandbox: say what AWS would do, go on.
          this.log(
            `${new Date().toISOString()} ${requestId} Task would have timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds on AWS; ` +
              'not enforced while the function is inspected (npm start --inspect)',
          );
          return;
        }
        // Lambda ends the sandbox on a timeout; the next invocation gets a cold one.
        this.log(`${new Date().toISOString()} ${requestId} Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`);
        this.settle(
          requestId,
          {
            ok: false,
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`,
            },
          },
          false,
        );
        this.kill();
      }, timeoutMs);
      this.pending = { id: requestId, resolve, timer };
      this.child.send({
        type: 'invoke',
        id: requestId,
        payload,
        deadline,
        traceId: traceHeader(new Date(), randomBytes(20), this.fn.tracingMode === 'Active'),
        context: {
          functionName: this.fn.functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: functionArn(this.fn.functionName),
          memoryLimitInMB: String(this.fn.memorySize),
          awsRequestId: requestId,
          logGroupName: logGroupName(this.fn),
          logStreamName: this.logStreamName,
        },
      });
    });
  }

  /** Ends the sandbox, frozen or not (a stopped process is continued so it can take the signal). */
  kill(): void {
    this.killed = true;
    if (this.exited) return;
    this.thaw();
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.kill();
    await this.exitedPromise;
  }

  /** The sandbox's process id (for tests that look at its state). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private freeze(): void {
    if (!CAN_FREEZE || this.inspected || this.frozen || !this.alive) return;
    this.frozen = this.child.kill('SIGSTOP');
  }

  private thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    if (!this.exited) this.child.kill('SIGCONT');
  }

  /** Answers the invocation in flight; `freeze` once the sandbox has answered and lives on. */
  private settle(id: string, outcome: InvokeOutcome, freeze: boolean): void {
    const pending = this.pending;
    if (!pending || pending.id !== id) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    this.idleSince = Date.now();
    // Frozen before the caller hears the answer, so nothing of the sandbox runs after its response.
    if (freeze) this.freeze();
    pending.resolve(outcome);
  }
}

function parsePayload(payload: string): InvokeOutcome {
  if (Buffer.byteLength(payload) > PAYLOAD_LIMIT_BYTES) {
    return {
      ok: false,
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${PAYLOAD_LIMIT_BYTES} bytes).`,
      },
    };
  }
  return { ok: true, result: JSON.parse(payload) as unknown };
}

export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

interface PoolSettings {
  readonly awsEndpoint: string;
  readonly log: (source: string, line: string) => void;
  readonly nodeModulesDir: string;
  /** The Node binary that runs this function, and whether it is the host's stand-in. */
  readonly execPath: string;
  readonly onHostNode: boolean;
  /** The inspector port of an inspected function (see LambdaRunnerOptions.inspect). */
  readonly inspectPort?: number;
  /** The sandboxes' semi space, MB; undefined: the runtime's own. */
  readonly semiSpaceMb?: number;
}

/**
 * The per-function pool: warm instances, then cold starts up to the concurrency cap. At a reserved
 * concurrency the next call is throttled, as on AWS; at the local default cap it waits.
 */
/** How an invocation is run. */
export interface InvokeOptions {
  /**
   * A key for work that gains from the sandbox that ran the same key before (a stream mapping's
   * shard: a function may keep what it learned of that shard's keys, such as the projector's
   * balance rows). While that sandbox is idle the invocation goes to it. Lambda does not promise
   * this: a function must stay correct whichever sandbox runs it, only faster here.
   */
  readonly affinity?: string;
}

class FunctionPool {
  private readonly instances: Instance[] = [];
  private readonly waiting: Array<() => void> = [];
  private starting = 0;
  private stopped = false;
  /** The last sandbox's exit: an inspected function's next sandbox waits for it to free the port. */
  private lastExit: Promise<void> = Promise.resolve();
  private cap: number;
  /** Set while {@link replace} swaps the code: new invocations wait on it (held, never dropped). */
  private gate: Promise<void> | undefined;
  /** Invocations past the gate and not answered yet; `drained` wakes when it reaches 0. */
  private active = 0;
  private readonly drained: Array<() => void> = [];

  constructor(
    private fn: LocalFunction,
    private readonly settings: PoolSettings,
    cap: number,
  ) {
    // Two sandboxes cannot listen on one inspector port: an inspected function runs one at a time.
    this.cap = settings.inspectPort === undefined ? cap : 1;
  }

  /**
   * Starts a sandbox ahead of any invocation, so a debugger can attach before the first one (and
   * again after a crash). Only inspected functions do this; others start on their first invocation.
   */
  async prewarm(): Promise<void> {
    if (this.stopped || this.pids().length + this.starting > 0) return;
    const instance = await this.start();
    if ('errorType' in instance) return;
    instance.unreserve();
    this.release();
  }

  /**
   * Ends sandboxes that have been idle `idleMs` or longer, and those beyond the `maxIdle` most
   * recently used once idle `surplusIdleMs` ({@link SURPLUS_IDLE_MS}: a burst's extra sandboxes, not the ones a
   * steady load reuses within milliseconds), as AWS reclaims execution environments it does not
   * need. Never the inspected function's: its port would go quiet under the debugger.
   */
  reapIdle(now: number, idleMs: number, maxIdle: number, surplusIdleMs = SURPLUS_IDLE_MS): number {
    if (this.settings.inspectPort !== undefined) return 0;
    const idle = this.instances.filter((instance) => instance.alive && !instance.busy).sort((a, b) => a.idleMs(now) - b.idleMs(now));
    const surplusAfter = Math.min(idleMs, surplusIdleMs);
    const reaped = idle.filter((instance, index) => instance.idleMs(now) >= (index >= maxIdle ? surplusAfter : idleMs));
    for (const instance of reaped) instance.kill();
    if (reaped.length > 0) this.release();
    return reaped.length;
  }

  async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    while (this.gate) await this.gate;
    this.active += 1;
    try {
      return await this.invokeNow(event, options.affinity);
    } finally {
      this.active -= 1;
      if (this.active === 0) this.drained.splice(0).forEach((wake) => wake());
    }
  }

  /**
   * Hot reload (local/watch): holds new invocations, lets those in flight finish on the old code,
   * ends every sandbox, then runs `next` (new code, environment, limits) from the next invocation on.
   */
  async replace(next: LocalFunction, cap: number): Promise<void> {
    while (this.gate) await this.gate;
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.active > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      // The new code first: an inspected function starts its next sandbox as soon as the old one exits.
      this.fn = next;
      this.cap = this.settings.inspectPort === undefined ? cap : 1;
      await Promise.all(this.instances.splice(0).map((instance) => instance.stop()));
    } finally {
      this.gate = undefined;
      open();
    }
  }

  /**
   * The idle sandbox an invocation goes to: the one that last ran work of the same affinity, else
   * one that never ran keyed work, else the first idle one (without an affinity: the first idle).
   */
  private idleFor(affinity: string | undefined): Instance | undefined {
    const idle = this.instances.filter((instance) => instance.alive && !instance.busy);
    if (affinity === undefined) return idle[0];
    const chosen = idle.find((instance) => instance.affinity === affinity) ?? idle.find((instance) => instance.affinity === undefined) ?? idle[0];
    if (chosen) chosen.affinity = affinity;
    return chosen;
  }

  private async invokeNow(event: unknown, affinity?: string): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    // The event crosses to the sandbox as JSON text, as on AWS: measured once and parsed once, by the function's runtime.
    const payload = JSON.stringify(event ?? null);
    const size = Buffer.byteLength(payload);
    if (size > PAYLOAD_LIMIT_BYTES) {
      return {
        ok: false,
        error: {
          errorType: 'RequestEntityTooLargeException',
          errorMessage: `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`,
        },
      };
    }
    for (;;) {
      if (this.stopped) return stoppedOutcome();
      const idle = this.idleFor(affinity);
      if (idle) return idle.invoke(payload, requestId);
      const inUse = this.instances.filter((instance) => instance.alive).length + this.starting;
      if (inUse < this.cap) {
        const instance = await this.start();
        if ('errorType' in instance) return { ok: false, error: instance };
        instance.affinity = affinity;
        return instance.invoke(payload, requestId);
      }
      if (this.fn.reservedConcurrency !== undefined && this.settings.inspectPort === undefined) return throttledOutcome();
      // The local default cap is this machine's limit, not AWS's: the call waits for an instance.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Process ids of the live sandboxes (tests look at their state). */
  pids(): number[] {
    return this.instances
      .filter((instance) => instance.alive)
      .map((instance) => instance.pid)
      .filter((pid): pid is number => pid !== undefined);
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
    const { fn, settings } = this;
    const inspected = settings.inspectPort !== undefined;
    // The inspector port is free only once the previous sandbox has exited.
    if (inspected) await this.lastExit;
    const stream = logStreamName(new Date(), randomBytes(16));
    const env = lambdaEnvironment(fn, { ...settings, logStreamName: stream, runtimeDir: __dirname, onHostNode: settings.onHostNode });
    const child = fork(BOOTSTRAP, [], {
      cwd: fn.assetDir,
      env,
      execPath: settings.execPath,
      // Never the parent's execArgv: under tsx or jest that would load their hooks into the sandbox.
      execArgv: [...memoryFlags(fn.memorySize, env.NODE_OPTIONS, settings.semiSpaceMb), ...(inspected ? [inspectFlag(settings.inspectPort!)] : [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const log = (line: string) => settings.log(fn.displayName, line);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', log);
    }
    const instance = new Instance(child, fn, log, stream, inspected);
    instance.reserve();
    this.instances.push(instance);
    this.starting -= 1;
    if (inspected) {
      this.lastExit = instance.exitedPromise;
      // Keep a sandbox listening on the port after a crash or a timeout, for the debugger to reattach.
      void instance.exitedPromise.then(() => {
        if (instance.initialized) setImmediate(() => void this.prewarm());
      });
    }
    const initError = await instance.ready;
    if (initError) {
      log(`INIT failed: ${initError.errorType}: ${initError.errorMessage}`);
      await instance.stop();
      this.release();
      return initError;
    }
    // Warm instances wake waiters through release() when their invocation ends.
    const invokeOriginal = instance.invoke.bind(instance);
    instance.invoke = (payload, requestId) => {
      const outcome = invokeOriginal(payload, requestId);
      void outcome.then(() => this.release());
      return outcome;
    };
    return instance;
  }
}

function stoppedOutcome(): InvokeOutcome {
  return { ok: false, error: { errorType: 'Runtime.Stopped', errorMessage: 'the local Lambda runner is stopping' } };
}

/** Thrown at start-up for functions the local cloud cannot run; lists every one of them. */
export class UnsupportedRuntimeError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`the local cloud cannot run ${reasons.length === 1 ? 'a function' : `${reasons.length} functions`} of this app:\n  ${reasons.join('\n  ')}`);
    this.name = 'UnsupportedRuntimeError';
  }
}

function currentHost(): NodeHost {
  return { platform: process.platform, arch: process.arch, nodeVersion: process.version, execPath: process.execPath };
}

/**
 * Runs the synthesized functions locally, one child process per concurrent instance, each on the
 * Node.js major its `Runtime` names.
 *
 * @example
 * const runner = new LambdaRunner(app.functions, { awsEndpoint, log });
 * const outcome = await runner.invoke('sluice-dev-ingest', event);
 * @throws UnsupportedRuntimeError when a function's runtime is not Node.js (nothing is started then)
 */
export class LambdaRunner {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly functions = new Map<string, LocalFunction>();
  private readonly defaultConcurrency: number;
  private readonly activity = new InvocationActivity();
  private readonly inspected: readonly InspectTarget[];
  private readonly reaper: NodeJS.Timeout;
  /** What the constructor was given, for pools added later ({@link addFunction}). */
  private readonly setup: { readonly options: LambdaRunnerOptions; readonly nodeModulesDir: string; readonly host: NodeHost; readonly semiSpaceMb?: number };

  constructor(functions: readonly LocalFunction[], options: LambdaRunnerOptions) {
    const nodeModulesDir = options.nodeModulesDir ?? path.resolve(__dirname, '..', '..', 'node_modules');
    const host = options.host ?? currentHost();
    this.defaultConcurrency = options.defaultConcurrency ?? 10;
    const semiSpace = options.semiSpaceMb ?? semiSpaceFromEnv(process.env.SLUICE_SANDBOX_SEMI_SPACE_MB);
    this.setup = { options, nodeModulesDir, host, semiSpaceMb: semiSpace === 'lambda' ? undefined : semiSpace };
    const refused = functions.flatMap((fn) => this.addPool(fn) ?? []);
    if (refused.length > 0) throw new UnsupportedRuntimeError(refused);
    this.inspected = (options.inspect ?? []).filter((target) => this.pools.has(target.functionName));
    for (const target of this.inspected) {
      const fn = this.describe(target.functionName);
      for (const problem of sourceMapProblems(fn.assetDir, fn.handler)) options.log(fn.displayName, `inspect: ${problem}`);
      void this.pools.get(target.functionName)!.prewarm();
    }
    const idleMs = options.idleSandboxMs ?? numberFromEnv('SLUICE_SANDBOX_IDLE_MS', 60_000);
    const maxIdle = options.maxIdleSandboxes ?? numberFromEnv('SLUICE_MAX_IDLE_SANDBOXES', 1);
    const surplusIdleMs = options.surplusIdleSandboxMs ?? numberFromEnv('SLUICE_SURPLUS_IDLE_MS', SURPLUS_IDLE_MS);
    this.reaper = setInterval(
      () => {
        const now = Date.now();
        for (const pool of this.pools.values()) pool.reapIdle(now, idleMs, maxIdle, surplusIdleMs);
      },
      reapEveryMs(Math.min(idleMs, surplusIdleMs)),
    );
    this.reaper.unref();
  }

  /** The functions that run with an inspector, and their ports. */
  inspectTargets(): readonly InspectTarget[] {
    return this.inspected;
  }

  /** Creates the function's pool; returns why not when its runtime cannot run here. */
  private addPool(fn: LocalFunction): string | undefined {
    const { options, nodeModulesDir, host, semiSpaceMb } = this.setup;
    const choice = chooseNodeBinary(
      { functionName: fn.functionName, runtime: fn.runtime ?? DEFAULT_RUNTIME, architecture: fn.architecture, nodeModulesDir },
      host,
      existsSync,
    );
    if (!choice.ok) return choice.reason;
    for (const notice of choice.notices) options.log(fn.displayName, `local runtime: ${notice}`);
    this.functions.set(fn.functionName, fn);
    const inspectPort = options.inspect?.find((target) => target.functionName === fn.functionName)?.port;
    const settings = {
      awsEndpoint: options.awsEndpoint,
      log: options.log,
      nodeModulesDir,
      execPath: choice.execPath,
      onHostNode: choice.source === 'host',
      inspectPort,
      semiSpaceMb,
    };
    this.pools.set(fn.functionName, new FunctionPool(fn, settings, this.concurrencyOf(fn.functionName)));
    return undefined;
  }

  /**
   * Hot reload: runs a function the app did not have at start-up (a `lib/` change added it).
   *
   * @throws UnsupportedRuntimeError when its runtime cannot run here; Error when the name is taken
   */
  addFunction(fn: LocalFunction): void {
    if (this.functions.has(fn.functionName)) throw new Error(`function "${fn.functionName}" already runs: replace it with replaceFunction`);
    const refused = this.addPool(fn);
    if (refused) throw new UnsupportedRuntimeError([refused]);
  }

  /**
   * Hot reload: swaps a function's code and settings. New invocations wait (API requests and
   * mapping batches are held, not dropped), those in flight finish on the old code, the function's
   * sandboxes end, and the next invocation cold-starts `next`. Other functions are not touched.
   * `next.runtime` must be the running one (a new Node major needs a restart).
   *
   * @throws Error for a function name the app does not define
   */
  async replaceFunction(next: LocalFunction): Promise<void> {
    this.describe(next.functionName);
    this.functions.set(next.functionName, next);
    await this.pools.get(next.functionName)!.replace(next, this.concurrencyOf(next.functionName));
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
   * Invokes the function synchronously (RequestResponse). Above its reserved concurrency the
   * outcome is a throttle ({@link isThrottled}) and the function does not run.
   *
   * @throws Error for a function name the app does not define.
   */
  invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    this.describe(functionName);
    return this.activity.track(functionName, this.pools.get(functionName)!.invoke(event, options));
  }

  /** Invocations running or waiting for an instance, per function (only functions with any). */
  inFlight(): Record<string, number> {
    return this.activity.inFlight();
  }

  /** Invocations started since the runner was created (a settled check compares it before and after). */
  get invocationsStarted(): number {
    return this.activity.started;
  }

  /** Invocations ended and how many of them failed, per function invoked since the runner was created (the console's live counts). */
  invocationCounts(): Record<string, InvocationCounts> {
    return this.activity.counts();
  }

  /** Calls `listener` after each invocation ends; returns the function that removes it. */
  onInvocationEnd(listener: () => void): () => void {
    return this.activity.onEnd(listener);
  }

  /** Process ids of the function's live sandboxes. */
  sandboxPids(functionName: string): number[] {
    this.describe(functionName);
    return this.pools.get(functionName)!.pids();
  }

  /** Kills every instance (frozen ones included) and waits until each process has exited. */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}

/** What one function's invocations came to: `errors` counts function errors and throttles. */
export interface InvocationCounts {
  invocations: number;
  errors: number;
}

/** Counts invocations in flight per function, for `GET /_sluice/settled`, and ended ones, for the console. */
class InvocationActivity {
  private readonly running = new Map<string, number>();
  private readonly ended = new Map<string, InvocationCounts>();
  private readonly endListeners = new Set<() => void>();
  started = 0;

  track(functionName: string, outcome: Promise<InvokeOutcome>): Promise<InvokeOutcome> {
    this.started += 1;
    this.running.set(functionName, (this.running.get(functionName) ?? 0) + 1);
    const end = (outcome?: InvokeOutcome) => {
      const counts = this.ended.get(functionName) ?? { invocations: 0, errors: 0 };
      this.ended.set(functionName, { invocations: counts.invocations + 1, errors: counts.errors + (outcome?.ok ? 0 : 1) });
      const left = (this.running.get(functionName) ?? 1) - 1;
      if (left > 0) this.running.set(functionName, left);
      else this.running.delete(functionName);
      this.endListeners.forEach((listener) => listener());
    };
    outcome.then(end, () => end());
    return outcome;
  }

  counts(): Record<string, InvocationCounts> {
    return Object.fromEntries([...this.ended].map(([name, counts]) => [name, { ...counts }]));
  }

  inFlight(): Record<string, number> {
    return Object.fromEntries(this.running);
  }

  onEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }
}
