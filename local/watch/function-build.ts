/**
 * One function's esbuild incremental context: the first build parses every module, each later
 * `rebuild()` only what changed, which is what keeps a one-function edit under a second.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { holdEsbuild } from '../bundles/esbuild-service';
import { contentHash, type BundleFile } from '../bundles/bundle-cache';

export type BuildOutcome = { readonly ok: true; readonly hash: string; readonly files: readonly BundleFile[] } | { readonly ok: false; readonly message: string };

/**
 * The source files a bundle was built from, read from its source map (`sources`, relative to the
 * map's folder); undefined when there is no map to read.
 */
export function sourcesOfBundle(bundleFile: string): Set<string> | undefined {
  try {
    const map = JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')) as { sources?: unknown; sourceRoot?: unknown };
    if (!Array.isArray(map.sources)) return undefined;
    const root = path.resolve(path.dirname(bundleFile), typeof map.sourceRoot === 'string' ? map.sourceRoot : '');
    return new Set(map.sources.filter((s): s is string => typeof s === 'string').map((s) => path.resolve(root, s)));
  } catch {
    return undefined;
  }
}

export class FunctionBuild {
  private context: Promise<esbuild.BuildContext> | undefined;
  /** Builds run one after the other on a context. */
  private queue: Promise<unknown> = Promise.resolve();
  private failed = false;
  /** Releases this context's hold on esbuild's service (see local/bundles/esbuild-service.ts). */
  private release: (() => void) | undefined;

  /**
   * @param inputs the files the running bundle was built from (absolute); undefined = unknown, so
   *   any change may affect it until its first build says otherwise
   */
  constructor(
    readonly functionName: string,
    readonly entry: string,
    private readonly options: esbuild.BuildOptions & { absWorkingDir: string; outfile: string },
    private inputs: Set<string> | undefined,
  ) {}

  /**
   * Whether a change to `file` (absolute) may change this bundle: it is one of its inputs or a folder
   * holding one (a renamed folder), or the last build failed (the change may be the missing file).
   */
  dependsOn(file: string): boolean {
    if (this.failed || this.inputs === undefined || this.inputs.has(file)) return true;
    const folder = `${file}${path.sep}`;
    return [...this.inputs].some((input) => input.startsWith(folder));
  }

  /** Builds (the first time) or rebuilds the bundle in memory; a failure is an outcome with esbuild's message, never a throw. */
  build(): Promise<BuildOutcome> {
    const run = this.queue.then(() => this.buildNow());
    this.queue = run;
    return run;
  }

  /** Cancels a build in progress (a stopping local cloud does not wait for it) and frees the context. */
  async dispose(): Promise<void> {
    const context = await this.context?.catch(() => undefined);
    await context?.cancel();
    await this.queue;
    await context?.dispose();
    this.release?.();
  }

  private async buildNow(): Promise<BuildOutcome> {
    try {
      this.release ??= holdEsbuild();
      this.context ??= esbuild.context(this.options);
      const result = await (await this.context).rebuild();
      this.inputs = new Set(Object.keys(result.metafile?.inputs ?? {}).map((input) => path.resolve(this.options.absWorkingDir, input)));
      const files = (result.outputFiles ?? []).map((file) => ({ name: path.basename(file.path), contents: file.contents }));
      const code = files.find((file) => file.name === path.basename(this.options.outfile));
      if (!code) throw new Error(`esbuild wrote no ${path.basename(this.options.outfile)}`);
      this.failed = false;
      return { ok: true, hash: contentHash(code.contents), files };
    } catch (error) {
      this.failed = true;
      return { ok: false, message: await buildErrorText(error) };
    }
  }
}

/** esbuild's own rendering of its errors (file, line, the code and a caret), else the error's message. */
async function buildErrorText(error: unknown): Promise<string> {
  const errors = (error as { errors?: esbuild.Message[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return (await esbuild.formatMessages(errors, { kind: 'error', color: false })).join('').trimEnd();
  }
  return error instanceof Error ? error.message : String(error);
}
