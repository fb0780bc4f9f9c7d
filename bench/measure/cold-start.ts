/**
 * Cold start proxies per function: the bundle's size and its module init time (requiring the
 * bundle in a fresh process of the Node.js the function's runtime names, with the function's
 * environment, minus requiring an empty module the same way).
 *
 * As on Lambda, `node:http` is loaded before the handler: the runtime interface client requires it
 * for its Runtime API client before it loads the function's module, so that cost is the runtime's,
 * not the function's init.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalFunction } from '../../local/model';
import { chooseNodeBinary, DEFAULT_RUNTIME } from '../../local/runtime/node-binary';
import { bundleComposition } from '../lib/bundle-composition';
import { runNode } from '../lib/process';
import { median } from '../lib/stats';

/** Prints the wall and CPU ms `require(argv[1])` took, from inside a fresh process that loaded `node:http` first (as the Lambda runtime does). */
export const INIT_PROBE =
  "require('node:http'); const c0 = process.cpuUsage(); const t = performance.now(); require(process.argv[1]); const c = process.cpuUsage(c0); process.stdout.write(`${performance.now() - t} ${(c.user + c.system) / 1000}`);";

/** The Node.js binary a function runs on locally (and its major on AWS): the runtime package, else this Node. */
export function functionNodeBinary(fn: Pick<LocalFunction, 'functionName' | 'runtime' | 'architecture'>, projectRoot: string): { execPath: string; label: string } {
  const choice = chooseNodeBinary(
    { functionName: fn.functionName, runtime: fn.runtime ?? DEFAULT_RUNTIME, architecture: fn.architecture, nodeModulesDir: path.join(projectRoot, 'node_modules') },
    { platform: process.platform, arch: process.arch, nodeVersion: process.version, execPath: process.execPath },
    existsSync,
  );
  if (!choice.ok) throw new Error(choice.reason);
  return { execPath: choice.execPath, label: choice.source === 'package' ? `Node ${choice.major} (runtime package)` : `this Node ${process.version}` };
}

/** Environment of a Lambda container: the function's variables plus what the runtime sets (as the local runner's sandbox does). */
export function lambdaEnvironment(
  fn: Pick<LocalFunction, 'functionName' | 'memorySize' | 'environment'> & Partial<Pick<LocalFunction, 'runtime'>>,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
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
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? DEFAULT_RUNTIME}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}

async function requireMs(file: string, env: NodeJS.ProcessEnv, execPath: string, timeoutMs = 30_000): Promise<{ wall: number; cpu: number }> {
  const { code, stdout: out, stderrTail: err } = await runNode(['-e', INIT_PROBE, file], { env, timeoutMs, execPath });
  const [wall, cpu] = out.trim().split(/\s+/).slice(-2).map(Number);
  if (code !== 0 || !Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`requiring ${file} failed (exit ${code}): ${err.trim().slice(-500)}`);
  return { wall, cpu };
}

export interface ColdStartResult {
  readonly name: string;
  /** Bytes of the handler's module (`index.js`): what the function compiles at init. */
  readonly bundleBytes: number;
  /** Bytes of every `.js` file of the asset (no maps): `index.js` plus files loaded later, e.g. the X-Ray Tracer's. */
  readonly assetBytes: number;
  /** Median require time of the bundle minus the median of the empty module. */
  readonly initMs: number;
  readonly grossMs: number;
  /** Median CPU ms of the require minus the empty module's: moves less than wall time on a loaded machine. */
  readonly cpuMs: number;
  /** Which Node ran it, e.g. `Node 24 (runtime package)`. */
  readonly node: string;
  /** The package with most bytes in the bundle and its share (from the source map), if there is one. */
  readonly largest?: { readonly name: string; readonly share: number };
}

/** Total bytes of the `.js` files (not their maps) directly in an asset folder. */
export function assetCodeBytes(assetDir: string): number {
  return readdirSync(assetDir)
    .filter((name) => /\.[cm]?js$/.test(name))
    .reduce((sum, name) => sum + statSync(path.join(assetDir, name)).size, 0);
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
  projectRoot: string = path.resolve(__dirname, '..', '..'),
): Promise<{ emptyMs: number; results: ColdStartResult[] }> {
  mkdirSync(workDir, { recursive: true });
  const empty = path.join(workDir, 'empty-module.js');
  writeFileSync(empty, '\n');
  const baseEnv = lambdaEnvironment({ functionName: 'empty', memorySize: 256, environment: {} });
  // One empty-module baseline per Node binary: the functions may run on another Node than this one.
  const baselines = new Map<string, { wall: number; cpu: number }>();
  const baseline = async (execPath: string) => {
    const known = baselines.get(execPath);
    if (known) return known;
    const samples = [];
    for (let i = 0; i < repeats; i++) samples.push(await requireMs(empty, baseEnv, execPath));
    const measured = { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
    baselines.set(execPath, measured);
    return measured;
  };
  const results: ColdStartResult[] = [];
  let emptyMs = 0;
  for (const fn of functions) {
    const bundle = path.join(fn.assetDir, `${fn.handler.split('.')[0]}.js`);
    const env = lambdaEnvironment(fn);
    const node = functionNodeBinary(fn, projectRoot);
    const floor = await baseline(node.execPath);
    emptyMs = floor.wall;
    const samples = [];
    for (let i = 0; i < repeats; i++) samples.push(await requireMs(bundle, env, node.execPath));
    const grossMs = median(samples.map((s) => s.wall));
    results.push({
      name: fn.displayName,
      bundleBytes: statSync(bundle).size,
      assetBytes: assetCodeBytes(fn.assetDir),
      grossMs,
      initMs: Math.max(0, grossMs - floor.wall),
      cpuMs: Math.max(0, median(samples.map((s) => s.cpu)) - floor.cpu),
      node: node.label,
      largest: largestPackage(bundle),
    });
  }
  return { emptyMs, results };
}
