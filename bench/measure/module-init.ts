/**
 * Module init of each function under the bundling choices issue 14 weighed, measured in one run so
 * the load of the machine moves every row alike: the AWS SDK taken from the runtime (externalized,
 * as sluice shipped before) or bundled and tree-shaken (as it ships now), each with and without
 * `NODE_OPTIONS=--enable-source-maps`, plus Powertools Logger + Metrics alone. Every variant is built
 * here with esbuild into `workDir` (inside the project, so the runtime-SDK variant resolves the SDK
 * from `node_modules` as the runtime would from its own), then required in fresh processes of the
 * functions' runtime Node (nodejs24.x: the runtime package; node:http preloaded, as the Lambda
 * runtime interface client has loaded it), interleaved round by round.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { BUNDLING, LAMBDAS_DIR } from '../../lib/sluice-function';
import { esbuildAliases } from '../../local/watch/esbuild-options';
import { runNode } from '../lib/process';
import { median } from '../lib/stats';
import { functionNodeBinary, INIT_PROBE, lambdaEnvironment } from './cold-start';

const COMMON: BuildOptions = {
  // The project root: BUNDLING's alias paths are relative to it, as for cdk synth.
  absWorkingDir: path.resolve(__dirname, '..', '..'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'silent',
};

/** The bundlings compared: what the runtime's SDK costs against the bundled one (lib/sluice-function.ts BUNDLING). */
export const INIT_VARIANTS = {
  'runtime SDK': { ...COMMON, external: ['@aws-sdk/*', ...BUNDLING.externalModules!.filter((name) => name.startsWith('./'))] },
  'bundled SDK': { ...COMMON, mainFields: [...BUNDLING.mainFields!], external: [...BUNDLING.externalModules!], alias: esbuildAliases(BUNDLING) },
} satisfies Record<string, BuildOptions>;

export interface ModuleInitRow {
  /** Function folder under lambdas/, or `powertools` for Logger + Metrics alone. */
  readonly fn: string;
  readonly variant: keyof typeof INIT_VARIANTS;
  readonly sourceMaps: boolean;
  readonly bundleBytes: number;
  /** Median CPU ms of the require minus the empty module's (CPU time moves less with the load than wall time). */
  readonly cpuMs: number;
  /** Median wall ms of the require minus the empty module's. */
  readonly wallMs: number;
}

const POWERTOOLS_ENTRY =
  "import { Logger } from '@aws-lambda-powertools/logger'; import { Metrics } from '@aws-lambda-powertools/metrics'; export const logger = new Logger(); export const metrics = new Metrics();";

async function buildVariants(workDir: string, functions: readonly string[]): Promise<Array<{ fn: string; variant: keyof typeof INIT_VARIANTS; file: string }>> {
  const powertoolsEntry = path.join(workDir, 'powertools-entry.ts');
  writeFileSync(powertoolsEntry, POWERTOOLS_ENTRY);
  const entries = [...functions.map((fn) => ({ fn, entry: path.join(LAMBDAS_DIR, fn, 'handler.ts') })), { fn: 'powertools', entry: powertoolsEntry }];
  const built = [];
  for (const { fn, entry } of entries) {
    for (const [variant, options] of Object.entries(INIT_VARIANTS) as Array<[keyof typeof INIT_VARIANTS, BuildOptions]>) {
      const file = path.join(workDir, variant.replace(/\W+/g, '-'), fn, 'index.js');
      await build({ ...options, entryPoints: [entry], outfile: file });
      built.push({ fn, variant, file });
    }
  }
  return built;
}

const RUNTIME_NODE = functionNodeBinary({ functionName: 'module-init', runtime: 'nodejs24.x' }, path.resolve(__dirname, '..', '..')).execPath;

async function requireMs(file: string, env: NodeJS.ProcessEnv): Promise<{ cpu: number; wall: number }> {
  const { code, stdout, stderrTail } = await runNode(['-e', INIT_PROBE, file], { env, timeoutMs: 30_000, execPath: RUNTIME_NODE });
  const [wall, cpu] = stdout.trim().split(' ').map(Number);
  if (code !== 0 || !Number.isFinite(cpu) || !Number.isFinite(wall)) throw new Error(`requiring ${file} failed (exit ${code}): ${stderrTail.trim().slice(-500)}`);
  return { cpu, wall };
}

/**
 * Builds every variant of `functions` (default: every folder of lambdas/ with a handler) into
 * `workDir` (must lie inside the project) and requires each `repeats` times, with and without
 * `--enable-source-maps`, rounds interleaved. Rows are net of an empty module required the same way.
 */
export async function measureModuleInit(
  workDir: string,
  functions: readonly string[],
  repeats = 5,
): Promise<{ emptyCpuMs: number; emptyWallMs: number; rows: ModuleInitRow[] }> {
  mkdirSync(workDir, { recursive: true });
  const empty = path.join(workDir, 'empty-module.js');
  writeFileSync(empty, '\n');
  const cases = [{ fn: 'empty', variant: 'runtime SDK' as const, file: empty }, ...(await buildVariants(workDir, functions))].flatMap((c) =>
    [false, true].map((sourceMaps) => ({ ...c, sourceMaps, cpu: [] as number[], wall: [] as number[] })),
  );
  for (let round = 0; round < repeats; round++) {
    for (const c of cases) {
      const base = lambdaEnvironment({
        functionName: `sluice-${c.fn}`,
        memorySize: 256,
        environment: { POWERTOOLS_SERVICE_NAME: `sluice-${c.fn}`, POWERTOOLS_METRICS_NAMESPACE: 'sluice' },
      });
      const { cpu, wall } = await requireMs(c.file, c.sourceMaps ? { ...base, NODE_OPTIONS: '--enable-source-maps' } : base);
      c.cpu.push(cpu);
      c.wall.push(wall);
    }
  }
  const emptyOf = (sourceMaps: boolean) => cases.find((c) => c.fn === 'empty' && c.sourceMaps === sourceMaps)!;
  const rows = cases
    .filter((c) => c.fn !== 'empty')
    .map((c) => ({
      fn: c.fn,
      variant: c.variant,
      sourceMaps: c.sourceMaps,
      bundleBytes: statSync(c.file).size,
      cpuMs: Math.max(0, median(c.cpu) - median(emptyOf(c.sourceMaps).cpu)),
      wallMs: Math.max(0, median(c.wall) - median(emptyOf(c.sourceMaps).wall)),
    }));
  return { emptyCpuMs: median(emptyOf(false).cpu), emptyWallMs: median(emptyOf(false).wall), rows };
}
