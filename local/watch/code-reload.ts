/**
 * The `lambdas/` half of hot reload: rebuilds the bundles a change may affect, compares each with
 * the bundle the function runs (content hash) and swaps the code of only those that differ. A
 * build error is printed and the old code keeps running.
 */
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LocalFunction } from '../model';
import { runningCodeHash, storeBundle, BUNDLES_DIR } from '../bundles/bundle-cache';
import { bundleFileName, esbuildOptionsFor, unmirroredBundlingOptions } from './esbuild-options';
import { FunctionBuild, sourcesOfBundle } from './function-build';

/** Swaps a function's code (LambdaRunner.replaceFunction). */
export type ReplaceFunction = (next: LocalFunction) => Promise<void>;

export interface CodeReloadOptions {
  readonly projectRoot: string;
  /** The bundling options the CDK app uses (lib/sluice-function.ts `BUNDLING`). */
  readonly bundling: BundlingOptions;
  /** The handler's source entry of a function, or undefined when it is not built from a file of the project. */
  readonly entryOf: (fn: LocalFunction) => string | undefined;
  readonly replaceFunction: ReplaceFunction;
  readonly log: (line: string) => void;
}

/** What one reload did. */
export interface CodeReloadResult {
  /** Display names of the functions now running new code. */
  readonly reloaded: readonly string[];
  /** Display names of the functions whose build failed (they keep their old code). */
  readonly failed: readonly string[];
  /** How long the rebuilds took (the rest of a reload is the swap: drain, sandbox stop, write). */
  readonly buildMs?: number;
}

/** `↻ reloaded projector, notifier in 412 ms`, or what else the reload came to: the one line it prints. */
export function reloadLine(result: CodeReloadResult, ms: number, changed: readonly string[]): string {
  const failed = result.failed.length > 0 ? `build failed for ${result.failed.join(', ')}: kept the old code` : '';
  if (result.reloaded.length === 0) return failed ? `✗ ${failed}` : `↻ no function changed (${changed.join(', ')})`;
  return `↻ reloaded ${result.reloaded.join(', ')} in ${Math.round(ms)} ms${failed ? `; ${failed}` : ''}`;
}

interface Watched {
  fn: LocalFunction;
  /** The running bundle's code hash. */
  hash: string | undefined;
  readonly build: FunctionBuild;
}

export class CodeReloader {
  private readonly watched = new Map<string, Watched>();
  /** Functions not rebuilt here, each with why (printed once at start). */
  readonly unwatched: string[] = [];

  constructor(
    functions: readonly LocalFunction[],
    private readonly options: CodeReloadOptions,
  ) {
    const unmirrored = unmirroredBundlingOptions(options.bundling);
    for (const fn of functions) {
      if (unmirrored.length > 0) this.unwatched.push(`${fn.displayName} (bundling uses ${unmirrored.join(', ')})`);
      else this.add(fn);
    }
  }

  /** The functions being watched, by display name. */
  get functionNames(): string[] {
    return [...this.watched.values()].map((w) => w.fn.displayName);
  }

  /**
   * Watches a function (a new one, or one a `lib/` change redefined): its running code is `fn`'s asset.
   * A function the entry convention does not find is listed in {@link unwatched}.
   */
  add(fn: LocalFunction): void {
    const entry = this.options.entryOf(fn);
    if (!entry) {
      this.unwatched.push(`${fn.displayName} (no source entry found for it)`);
      return;
    }
    const previous = this.watched.get(fn.functionName);
    if (previous && previous.build.entry === entry) {
      previous.fn = fn;
      previous.hash = runningCodeHash(fn);
      return;
    }
    void previous?.build.dispose();
    const outdir = path.join(this.options.projectRoot, BUNDLES_DIR, 'current');
    const options = esbuildOptionsFor(this.options.bundling, { entry, runtime: fn.runtime ?? 'nodejs24.x' }, this.options.projectRoot, outdir);
    const inputs = sourcesOfBundle(path.join(fn.assetDir, bundleFileName(this.options.bundling)));
    if (inputs && !inputs.has(entry)) {
      this.unwatched.push(`${fn.displayName} (its bundle was not built from ${path.relative(this.options.projectRoot, entry)})`);
      return;
    }
    this.watched.set(fn.functionName, {
      fn,
      hash: runningCodeHash(fn),
      build: new FunctionBuild(fn.functionName, entry, { ...options, absWorkingDir: this.options.projectRoot, outfile: options.outfile! }, inputs),
    });
  }

  /** The code hash the function runs now, if it is watched. */
  runningHash(functionName: string): string | undefined {
    return this.watched.get(functionName)?.hash;
  }

  /** Builds every bundle once, one after the other, so the first edit only rebuilds incrementally; stops early when `stopped()`. Never throws. */
  async warm(stopped: () => boolean = () => false): Promise<void> {
    for (const { build } of [...this.watched.values()]) {
      if (stopped()) return;
      await build.build();
    }
  }

  /** Rebuilds the functions `changedFiles` (absolute) may affect and swaps the code of those whose bundle changed. */
  async reload(changedFiles: readonly string[]): Promise<CodeReloadResult> {
    const affected = [...this.watched.values()].filter(({ build }) => changedFiles.some((file) => build.dependsOn(file)));
    const started = performance.now();
    const outcomes = await Promise.all(affected.map(async (watched) => ({ watched, outcome: await watched.build.build() })));
    const buildMs = Math.round(performance.now() - started);
    const failed: string[] = [];
    const swaps: Array<Promise<string>> = [];
    for (const { watched, outcome } of outcomes) {
      if (!outcome.ok) {
        failed.push(watched.fn.displayName);
        this.options.log(`✗ ${watched.fn.displayName}: ${outcome.message.replace(/\n/g, '\n  ')}`);
        continue;
      }
      if (outcome.hash === watched.hash) continue;
      const next = { ...watched.fn, assetDir: storeBundle(this.options.projectRoot, outcome.hash, outcome.files) };
      swaps.push(
        this.options.replaceFunction(next).then(() => {
          watched.fn = next;
          watched.hash = outcome.hash;
          return next.displayName;
        }),
      );
    }
    return { reloaded: (await Promise.all(swaps)).sort(), failed: failed.sort(), buildMs };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.watched.values()].map(({ build }) => build.dispose()));
  }
}
