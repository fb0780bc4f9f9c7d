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

const under = (root: string, dirs: readonly string[]) => (file: string) => dirs.some((dir) => file === path.join(root, dir) || file.startsWith(path.join(root, dir) + path.sep));

/**
 * Starts watching. Returns at once: the bundlers are set up (and warmed, one function after the
 * other) in the background; a change that arrives first waits for them.
 */
export function startHotReload(options: HotReloadOptions): HotReload {
  const { projectRoot, log } = options;
  const say = (line: string) => log(HOT_RELOAD_SOURCE, line);
  let running = options.app;
  let stopped = false;
  const listeners: Array<(event: ReloadEvent) => void> = [];
  const emit = (event: ReloadEvent) => listeners.splice(0).forEach((listener) => listener(event));

  const code: Promise<CodeReloader> = options.conventions().then(({ bundling, entryOf }) => {
    pruneBundles(projectRoot);
    const reloader = new CodeReloader(running.functions, { projectRoot, bundling, entryOf, replaceFunction: (fn) => options.runner.replaceFunction(fn), log: say });
    if (reloader.unwatched.length > 0) say(`not hot-reloaded: ${reloader.unwatched.join(', ')}`);
    return reloader;
  });
  const warmed = code.then((reloader) => reloader.warm(() => stopped));
  code.catch((error: unknown) => say(`hot reload is off: ${error instanceof Error ? error.message : String(error)}`));

  const isApp = under(projectRoot, APP_DIRS);
  const reloadCode = async (batch: ChangeBatch): Promise<ReloadEvent> => {
    const reloader = await code;
    const result = await reloader.reload(batch.files);
    const ms = performance.now() - batch.firstAt;
    say(reloadLine(result, ms, batch.files.map((file) => path.relative(projectRoot, file))));
    return { kind: 'code', reloaded: result.reloaded, failed: result.failed, created: [], needsRestart: [], ms };
  };
  const reloadTheApp = async (batch: ChangeBatch): Promise<ReloadEvent> => {
    const reloader = await code;
    say(`${batch.files.map((file) => path.relative(projectRoot, file)).join(', ')} changed: synthesizing…`);
    try {
      const result = await reloadApp(running, {
        ...options,
        addFunction: (fn) => options.runner.addFunction(fn),
        replaceFunction: (fn) => options.runner.replaceFunction(fn),
        runningHash: (fn) => reloader.runningHash(fn.functionName) ?? runningCodeHash(fn),
        followFunction: (fn) => reloader.add(fn),
      });
      running = result.app;
      const ms = performance.now() - batch.firstAt;
      for (const line of appReloadLines(result, ms)) say(line);
      return { kind: 'app', reloaded: result.reloaded, failed: [], created: createdNames(result.diff), needsRestart: result.diff.needsRestart, ms };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      say(`✗ the lib/ change was not applied (the running app is unchanged): ${message}`);
      return { kind: 'app', reloaded: [], failed: [message], created: [], needsRestart: [], ms: performance.now() - batch.firstAt };
    }
  };

  let chain: Promise<unknown> = Promise.resolve();
  const onBatch = (batch: ChangeBatch) => {
    chain = chain.then(async () => {
      if (stopped) return;
      const event = await (batch.files.some(isApp) ? reloadTheApp(batch) : reloadCode(batch)).catch((error: unknown): ReloadEvent => {
        say(`✗ reload failed: ${error instanceof Error ? error.message : String(error)}`);
        return { kind: 'code', reloaded: [], failed: [String(error)], created: [], needsRestart: [], ms: 0 };
      });
      emit(event);
    });
  };
  const dirs = [...CODE_DIRS, ...APP_DIRS];
  const unwatch = watchSources(
    dirs.map((dir) => path.join(projectRoot, dir)),
    onBatch,
  );

  return {
    watching: dirs.map((dir) => `${dir}/`),
    nextReload: () => new Promise((resolve) => listeners.push(resolve)),
    warmed: () => warmed.catch(() => undefined),
    async stop() {
      stopped = true;
      unwatch();
      await chain.catch(() => undefined);
      await warmed.catch(() => undefined);
      await (await code.catch(() => undefined))?.dispose();
    },
  };
}
