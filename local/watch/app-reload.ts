/**
 * The `lib/` (and `bin/`) half of hot reload: synthesizes the app again, diffs the new templates
 * (as loaded) against the running app, creates what is new, swaps the functions whose code or
 * settings changed, starts new mappings, and names what only a restart can apply.
 */
import type { LocalApp, LocalFunction, LocalMapping } from '../model';
import { provision } from '../provision';
import { findMissingHandlers, isAssemblyCurrent, missingHandlersMessage, ownedAssemblyDir, synthAssembly, synthInputsHash, type SynthApp } from '../synth';
import { withStreamArns } from '../template';
import { runningCodeHash } from '../bundles/bundle-cache';
import { diffApps, type AppDiff } from './app-diff';

export interface AppReloadDeps {
  readonly projectRoot: string;
  readonly context: Readonly<Record<string, string>>;
  readonly synthApp?: SynthApp;
  readonly awsEndpoint: string;
  /** Loads an assembly as the local cloud does (template loader, conventions, cursor key). */
  readonly load: (cloudAssemblyDir: string) => LocalApp;
  readonly addFunction: (fn: LocalFunction) => void;
  readonly replaceFunction: (fn: LocalFunction) => Promise<void>;
  readonly addMappings: (app: LocalApp, mappings: readonly LocalMapping[]) => Promise<void>;
  /** The code hash a function runs now (hot reloads move it away from its asset's). */
  readonly runningHash: (fn: LocalFunction) => string | undefined;
  /** Called for each function that runs a new definition, so the code watcher follows it. */
  readonly followFunction: (fn: LocalFunction) => void;
  /** Writes the new stack outputs (`cdk deploy --outputs-file` shape), if the local cloud keeps a file. */
  readonly writeOutputs?: (outputs: LocalApp['outputs']) => void;
}

export interface AppReloadResult {
  /** The app now running. */
  readonly app: LocalApp;
  readonly diff: AppDiff;
  /** Display names of the functions that run new code or settings. */
  readonly reloaded: readonly string[];
}

/** The cloud assembly for the sources as they are now, synthesized if it is not there yet. */
async function currentAssembly(deps: AppReloadDeps): Promise<string> {
  const hash = synthInputsHash(deps.projectRoot, deps.context, deps.synthApp);
  const dir = ownedAssemblyDir(deps.projectRoot, hash);
  if (!isAssemblyCurrent(dir, hash)) await synthAssembly(deps.projectRoot, dir, hash, deps.context, { app: deps.synthApp });
  return dir;
}

/** `next` with the stream ARNs the running tables already have (so an unchanged function's environment compares equal). */
function withRunningStreamArns(running: LocalApp, next: LocalApp): LocalApp {
  const arns = new Map(running.tables.map((t) => [t.tableName, t.streamArn]));
  return withStreamArns({ ...next, tables: next.tables.map((t) => (arns.get(t.tableName) ? { ...t, streamArn: arns.get(t.tableName) } : t)) });
}

/**
 * Applies the current sources' app to the running local cloud, as far as it can in place.
 *
 * @throws Error when the synth fails or the new assembly has no bundled code (nothing is applied then)
 */
export async function reloadApp(running: LocalApp, deps: AppReloadDeps): Promise<AppReloadResult> {
  const dir = await currentAssembly(deps);
  const loaded = deps.load(dir);
  const missing = findMissingHandlers(loaded.functions);
  if (missing.length > 0) throw new Error(missingHandlersMessage(missing, dir));
  const candidate = withRunningStreamArns(running, loaded);
  const diff = diffApps(running, candidate);

  const { app: created } = await provision({ ...candidate, tables: diff.create.tables, streams: diff.create.streams, queues: diff.create.queues }, deps.awsEndpoint);
  const createdArns = new Map(created.tables.map((t) => [t.tableName, t.streamArn]));
  const next = withStreamArns({
    ...candidate,
    tables: candidate.tables.map((t) => (createdArns.get(t.tableName) ? { ...t, streamArn: createdArns.get(t.tableName) } : t)),
  });

  const reconfigured = new Set(diff.reconfigure.map((f) => f.functionName));
  const blocked = new Set(diff.keepAsIs);
  const isNew = new Set(diff.create.functions.map((f) => f.functionName));
  const swaps: Array<Promise<string>> = [];
  for (const fn of next.functions) {
    if (isNew.has(fn.functionName)) {
      deps.addFunction(fn);
      deps.followFunction(fn);
      continue;
    }
    const old = running.functions.find((f) => f.functionName === fn.functionName);
    if (!old || blocked.has(fn.functionName)) continue;
    if (!reconfigured.has(fn.functionName) && runningCodeHash(fn) === deps.runningHash(old)) continue;
    swaps.push(deps.replaceFunction(fn).then(() => (deps.followFunction(fn), fn.displayName)));
  }
  const reloaded = (await Promise.all(swaps)).sort();
  if (diff.create.mappings.length > 0) await deps.addMappings(next, diff.create.mappings);
  deps.writeOutputs?.(next.outputs);
  return { app: next, diff, reloaded };
}

/** What the diff creates, as `<kind> <name>` (the banner's words). */
export function createdNames({ create }: AppDiff): string[] {
  return [
    ...create.tables.map((t) => `table ${t.tableName}`),
    ...create.streams.map((s) => `stream ${s.streamName}`),
    ...create.queues.map((q) => `queue ${q.queueName}`),
    ...create.functions.map((f) => `function ${f.displayName}`),
    ...create.mappings.map((m) => `mapping ${m.logicalId}`),
  ];
}

/** The lines a `lib/` reload prints: what it created and reloaded, then each change that needs a restart. */
export function appReloadLines(result: Pick<AppReloadResult, 'diff' | 'reloaded'>, ms: number): string[] {
  const { needsRestart } = result.diff;
  const made = createdNames(result.diff);
  const parts = [made.length > 0 ? `created ${made.join(', ')}` : '', result.reloaded.length > 0 ? `reloaded ${result.reloaded.join(', ')}` : ''].filter(Boolean);
  const lines = [`↻ applied the lib/ change in ${(ms / 1000).toFixed(1)} s: ${parts.length > 0 ? parts.join('; ') : 'nothing to apply'}`];
  if (needsRestart.length > 0) {
    lines.push(`⚠ not applied in place — restart npm start (Ctrl-C, then npm start) to apply: ${needsRestart.join('; ')}`);
  }
  return lines;
}
