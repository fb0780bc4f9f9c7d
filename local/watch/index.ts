/**
 * Hot reload for a running local cloud: watches `lambdas/` (code) and `lib/`, `bin/` (the app),
 * and applies each burst of saves, one reload at a time.
 *
 * - `lambdas/`: {@link CodeReloader} rebuilds the affected bundles (esbuild incremental contexts,
 *   the CDK app's own bundling options) and swaps only the functions whose bundle changed.
 * - `lib/`, `bin/`: {@link reloadApp} synthesizes again and applies the difference.
 *
 * A swap holds the function's new invocations, lets those in flight finish on the old code (a
 * mapping's batch is checkpointed before the next one starts), restarts only its sandboxes and
 * resumes: checkpoints, tables and queues are never touched.
 */
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LocalApp, LocalFunction, LocalMapping } from '../model';
import type { SynthApp } from '../synth';
import { pruneBundles, runningCodeHash } from '../bundles/bundle-cache';
import { appReloadLines, createdNames, reloadApp } from './app-reload';
import { CodeReloader, reloadLine } from './code-reload';
import { watchSources, type ChangeBatch } from './source-watcher';

/** Folders whose changes reload function code, and folders whose changes reload the app (relative to the project root). */
export const CODE_DIRS = ['lambdas'] as const;
export const APP_DIRS = ['lib', 'bin'] as const;

/** Where hot reload lines go: the log's source name. */
export const HOT_RELOAD_SOURCE = 'hot reload';

export interface HotReloadOptions {
  readonly projectRoot: string;
  readonly context: Readonly<Record<string, string>>;
  readonly synthApp?: SynthApp;
  readonly awsEndpoint: string;
  /** The app as it runs (provisioned). */
  readonly app: LocalApp;
  readonly runner: {
    addFunction(fn: LocalFunction): void;
    replaceFunction(fn: LocalFunction): Promise<void>;
  };
  readonly addMappings: (app: LocalApp, mappings: readonly LocalMapping[]) => Promise<void>;
  /** Loads an assembly as the local cloud does (conventions, cursor key). */
  readonly load: (cloudAssemblyDir: string) => LocalApp;
  /** The CDK app's bundling options and how to find a function's entry; read lazily, after the cloud is ready. */
  readonly conventions: () => Promise<{ bundling: BundlingOptions; entryOf: (fn: LocalFunction) => string | undefined }>;
  readonly writeOutputs?: (outputs: LocalApp['outputs']) => void;
  /** Called with the app that runs after each applied `lib/` change, so what reads the app (settled, console, Lambda API) sees what it created. */
  readonly onApp?: (app: LocalApp) => void;
  readonly log: (source: string, line: string) => void;
}

/** One reload, as tests and the bench see it. */
export interface ReloadEvent {
  readonly kind: 'code' | 'app';
  /** Display names of the functions that run new code or settings. */
  readonly reloaded: readonly string[];
  /** Functions whose build failed (code), or the synth error (app). */
  readonly failed: readonly string[];
  /** What a `lib/` change created (`queue <name>`, `table <name>`…). */
  readonly created: readonly string[];
  /** What a `lib/` change could not apply in place. */
  readonly needsRestart: readonly string[];
  /** From the first change event of the burst to the new code being in place. */
  readonly ms: number;
  /** Of `ms`, the esbuild rebuilds (code reloads). */
  readonly buildMs?: number;
}

export interface HotReload {
  /** The watched folders, relative to the project root (for the banner). */
  readonly watching: readonly string[];
  /** Resolves with the next reload that ends (tests, the bench). */
  nextReload(): Promise<ReloadEvent>;
  /** Resolves once every watched function has been built once (later edits rebuild incrementally). */
  warmed(): Promise<void>;
  stop(): Promise<void>;
}

const under = (root: string, dirs: readonly string[]) => (file: string) =>
  dirs.some((dir) => file === path.join(root, dir) || file.startsWith(path.join(root, dir) + path.sep));

/** One watching local cloud: the code reloader (set up in the background), the running app, and reloads one at a time. */
class HotReloadSession implements HotReload {
  readonly watching = [...CODE_DIRS, ...APP_DIRS].map((dir) => `${dir}/`);
  private readonly code: Promise<CodeReloader>;
  private readonly warming: Promise<void>;
  private readonly unwatch: () => void;
  private readonly isApp: (file: string) => boolean;
  private readonly listeners: Array<(event: ReloadEvent) => void> = [];
  private running: LocalApp;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: HotReloadOptions) {
    this.running = options.app;
    this.isApp = under(options.projectRoot, APP_DIRS);
    // After a macrotask: the conventions load aws-cdk-lib (seconds), which must not delay the ready banner.
    this.code = new Promise((resolve) => setTimeout(resolve, 0)).then(options.conventions).then(({ bundling, entryOf }) => {
      pruneBundles(options.projectRoot);
      const reloader = new CodeReloader(this.running.functions, {
        projectRoot: options.projectRoot,
        bundling,
        entryOf,
        replaceFunction: (fn) => options.runner.replaceFunction(fn),
        log: (line) => this.say(line),
      });
      if (reloader.unwatched.length > 0) this.say(`not hot-reloaded: ${reloader.unwatched.join(', ')}`);
      return reloader;
    });
    this.code.catch((error: unknown) => this.say(`hot reload is off: ${messageOf(error)}`));
    this.warming = this.code.then((reloader) => reloader.warm(() => this.stopped));
    this.unwatch = watchSources(
      [...CODE_DIRS, ...APP_DIRS].map((dir) => path.join(options.projectRoot, dir)),
      (batch) => this.enqueue(batch),
    );
  }

  nextReload(): Promise<ReloadEvent> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  warmed(): Promise<void> {
    return this.warming.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch();
    await (await this.code.catch(() => undefined))?.dispose();
    await this.chain.catch(() => undefined);
  }

  private say(line: string): void {
    this.options.log(HOT_RELOAD_SOURCE, line);
  }

  /** Runs the batch's reload after those before it: a `lib/` or `bin/` file makes it an app reload (which rebuilds every function). */
  private enqueue(batch: ChangeBatch): void {
    this.chain = this.chain.then(async () => {
      if (this.stopped) return;
      const event = await (batch.files.some(this.isApp) ? this.reloadApp(batch) : this.reloadCode(batch)).catch((error: unknown): ReloadEvent => {
        this.say(`✗ reload failed: ${messageOf(error)}`);
        return { kind: 'code', reloaded: [], failed: [messageOf(error)], created: [], needsRestart: [], ms: performance.now() - batch.firstAt };
      });
      this.listeners.splice(0).forEach((listener) => listener(event));
    });
  }

  private async reloadCode(batch: ChangeBatch): Promise<ReloadEvent> {
    const result = await (await this.code).reload(batch.files);
    const ms = performance.now() - batch.firstAt;
    this.say(reloadLine(result, ms, this.relative(batch)));
    return { kind: 'code', reloaded: result.reloaded, failed: result.failed, created: [], needsRestart: [], ms, buildMs: result.buildMs };
  }

  private async reloadApp(batch: ChangeBatch): Promise<ReloadEvent> {
    const reloader = await this.code;
    const { runner } = this.options;
    this.say(`${this.relative(batch).join(', ')} changed: synthesizing…`);
    try {
      const result = await reloadApp(this.running, {
        ...this.options,
        addFunction: (fn) => runner.addFunction(fn),
        replaceFunction: (fn) => runner.replaceFunction(fn),
        runningHash: (fn) => reloader.runningHash(fn.functionName) ?? runningCodeHash(fn),
        followFunction: (fn) => reloader.add(fn),
      });
      this.running = result.app;
      this.options.onApp?.(result.app);
      const ms = performance.now() - batch.firstAt;
      for (const line of appReloadLines(result, ms)) this.say(line);
      return { kind: 'app', reloaded: result.reloaded, failed: [], created: createdNames(result.diff), needsRestart: result.diff.needsRestart, ms };
    } catch (error) {
      this.say(`✗ the lib/ change was not applied (the running app is unchanged): ${messageOf(error)}`);
      return { kind: 'app', reloaded: [], failed: [messageOf(error)], created: [], needsRestart: [], ms: performance.now() - batch.firstAt };
    }
  }

  private relative(batch: ChangeBatch): string[] {
    return batch.files.map((file) => path.relative(this.options.projectRoot, file));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts watching. Returns at once: the bundlers are set up (and warmed, one function after the
 * other) in the background; a change that arrives first waits for them.
 */
export function startHotReload(options: HotReloadOptions): HotReload {
  return new HotReloadSession(options);
}
