/**
 * Cold start proxies per function: the bundle's size and its module init time (requiring the
 * bundle in a fresh `node` process with the function's environment, minus requiring an empty
 * module the same way).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalFunction } from '../../local/model';
import { bundleComposition } from '../lib/bundle-composition';
import { runNode } from '../lib/process';
import { median } from '../lib/stats';

/** Prints how long `require(argv[1])` took, in ms, from inside a fresh process. */
const PROBE =
  "const { performance } = require('node:perf_hooks'); const t = performance.now(); require(process.argv[1]); process.stdout.write(String(performance.now() - t));";

/** Environment of a Lambda container: the function's variables plus what the runtime sets. */
export function lambdaEnvironment(fn: Pick<LocalFunction, 'functionName' | 'memorySize' | 'environment'>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    PATH: base.PATH,
    HOME: base.HOME,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}

async function requireMs(file: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<number> {
  const { code, stdout: out, stderrTail: err } = await runNode(['-e', PROBE, file], { env, timeoutMs });
  const ms = Number(out.trim().split(/\s+/).pop());
  if (code !== 0 || !Number.isFinite(ms)) throw new Error(`requiring ${file} failed (exit ${code}): ${err.trim().slice(-500)}`);
  return ms;
}

export interface ColdStartResult {
  readonly name: string;
  readonly bundleBytes: number;
  /** Median require time of the bundle minus the median of the empty module. */
  readonly initMs: number;
  readonly grossMs: number;
  /** The package with most bytes in the bundle and its share (from the source map), if there is one. */
  readonly largest?: { readonly name: string; readonly share: number };
}

function largestPackage(bundle: string): ColdStartResult['largest'] {
  if (!existsSync(`${bundle}.map`)) return undefined;
  try {
    const parts = bundleComposition(readFileSync(bundle, 'utf8'), JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    const total = parts.reduce((sum, p) => sum + p.bytes, 0);
    return parts.length > 0 && total > 0 ? { name: parts[0].name, share: parts[0].bytes / total } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measures every function, `repeats` fresh processes each, one process at a time (so they do not
 * compete with each other). Returns the empty-module baseline and one result per function.
 */
export async function measureColdStarts(
  functions: readonly LocalFunction[],
  workDir: string,
  repeats = 5,
): Promise<{ emptyMs: number; results: ColdStartResult[] }> {
  mkdirSync(workDir, { recursive: true });
  const empty = path.join(workDir, 'empty-module.js');
  writeFileSync(empty, '\n');
  const baseEnv = lambdaEnvironment({ functionName: 'empty', memorySize: 256, environment: {} });
  const emptySamples: number[] = [];
  for (let i = 0; i < repeats; i++) emptySamples.push(await requireMs(empty, baseEnv));
  const emptyMs = median(emptySamples);
  const results: ColdStartResult[] = [];
  for (const fn of functions) {
    const bundle = path.join(fn.assetDir, `${fn.handler.split('.')[0]}.js`);
    const env = lambdaEnvironment(fn);
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) samples.push(await requireMs(bundle, env));
    const grossMs = median(samples);
    results.push({ name: fn.displayName, bundleBytes: statSync(bundle).size, grossMs, initMs: Math.max(0, grossMs - emptyMs), largest: largestPackage(bundle) });
  }
  return { emptyMs, results };
}
