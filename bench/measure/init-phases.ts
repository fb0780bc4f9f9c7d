/**
 * Where a bundle's module init goes, split in the three phases a `require` of it runs through on
 * the function's runtime Node (nodejs24.x: the runtime package), `node:http` preloaded as the
 * Lambda runtime interface client has loaded it:
 * - **built-ins**: the Node built-in modules the bundle requires (`node:https` with TLS, `node:crypto`,
 *   `node:fs/promises`, …), required alone;
 * - **compile**: `vm.compileFunction` of the bundle's text with the CommonJS wrapper's parameters,
 *   as Node's loader compiles it (V8 parses the top level and pre-parses every inner function);
 * - **run**: the rest of the full `require`: the bundle's top-level code, plus reading the file and
 *   the loader's own steps (a few per cent).
 *
 * Each phase is CPU ms (it moves less with the machine's load than wall time), median of fresh
 * processes, rounds interleaved. Used to decide what can still come off init (docs/benchmarks.md,
 * "Cold start"): built-ins a first invocation needs anyway, bytes to compile, or top-level work.
 *
 * Run: `npx tsx bench/measure/init-phases.ts [--rounds 7] <bundle.js>...`
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { runNode } from '../lib/process';
import { median } from '../lib/stats';
import { functionNodeBinary, lambdaEnvironment } from './cold-start';

/** Lists, in order, the built-in modules `require(argv[1])` asks for (after `node:http`). */
const BUILTINS_PROBE =
  "const M = require('node:module'); const known = new Set(M.builtinModules); require('node:http'); const load = M._load; const seen = []; M._load = function (request, ...rest) { const bare = request.replace(/^node:/, ''); if (known.has(bare) && !seen.includes('node:' + bare)) seen.push('node:' + bare); return load.call(this, request, ...rest); }; require(process.argv[1]); process.stdout.write(JSON.stringify(seen));";

/** The three probes, each printing the CPU ms of its work: built-ins alone, built-ins + compile, the whole require. */
export const PHASE_PROBES = {
  builtins:
    "require('node:http'); const list = JSON.parse(process.argv[2]); const c0 = process.cpuUsage(); for (const m of list) require(m); const c = process.cpuUsage(c0); process.stdout.write(String((c.user + c.system) / 1000));",
  compile:
    "require('node:http'); const list = JSON.parse(process.argv[2]); const src = require('node:fs').readFileSync(process.argv[1], 'utf8'); const vm = require('node:vm'); const c0 = process.cpuUsage(); for (const m of list) require(m); vm.compileFunction(src, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: process.argv[1] }); const c = process.cpuUsage(c0); process.stdout.write(String((c.user + c.system) / 1000));",
  require:
    "require('node:http'); const c0 = process.cpuUsage(); require(process.argv[1]); const c = process.cpuUsage(c0); process.stdout.write(String((c.user + c.system) / 1000));",
} as const;

export interface InitPhases {
  /** CPU ms of requiring the bundle's built-ins alone. */
  readonly builtinsMs: number;
  /** CPU ms of compiling the bundle (the built-ins+compile probe minus the built-ins one). */
  readonly compileMs: number;
  /** CPU ms of the rest: top-level code, reading the file, the loader (the whole require minus the built-ins+compile probe). */
  readonly runMs: number;
  /** CPU ms of the whole require. */
  readonly totalMs: number;
  /** The built-ins the bundle requires at init, in order. */
  readonly builtins: readonly string[];
}

/**
 * Phases from the samples of each probe: medians, and each phase as the difference between
 * neighbouring probes (floored at 0: on a loaded machine a later probe can come out cheaper).
 *
 * @example
 * phasesFrom({ builtins: [20, 22, 21], compile: [50, 52, 51], require: [80, 83, 81] }, ['node:https'])
 * // { builtinsMs: 21, compileMs: 30, runMs: 30, totalMs: 81, builtins: ['node:https'] }
 * @throws Error when a probe has no samples
 */
export function phasesFrom(samples: Record<keyof typeof PHASE_PROBES, readonly number[]>, builtins: readonly string[]): InitPhases {
  for (const [probe, values] of Object.entries(samples)) {
    if (values.length === 0) throw new Error(`init phases: the ${probe} probe has no samples; run at least one round`);
  }
  const [b, c, r] = [median(samples.builtins), median(samples.compile), median(samples.require)];
  return { builtinsMs: b, compileMs: Math.max(0, c - b), runMs: Math.max(0, r - c), totalMs: r, builtins };
}

async function probe(script: string, args: readonly string[], env: NodeJS.ProcessEnv, execPath: string): Promise<string> {
  const { code, stdout, stderrTail } = await runNode(['-e', script, ...args], { env, timeoutMs: 30_000, execPath });
  if (code !== 0) throw new Error(`init phases: probing ${args[0]} failed (exit ${code}): ${stderrTail.trim().slice(-500)}`);
  return stdout.trim();
}

/** Measures the phases of each bundle, `rounds` fresh processes per probe, rounds interleaved across bundles. */
export async function measureInitPhases(
  bundles: readonly string[],
  rounds = 7,
  projectRoot = path.resolve(__dirname, '..', '..'),
): Promise<Map<string, InitPhases>> {
  const execPath = functionNodeBinary({ functionName: 'init-phases', runtime: 'nodejs24.x' }, projectRoot).execPath;
  const envOf = (bundle: string) => lambdaEnvironment({ functionName: `sluice-${path.basename(path.dirname(bundle))}`, memorySize: 256, environment: {} });
  const lists = new Map<string, string>();
  for (const bundle of bundles) lists.set(bundle, await probe(BUILTINS_PROBE, [bundle], envOf(bundle), execPath));
  const samples = new Map(bundles.map((bundle) => [bundle, { builtins: [] as number[], compile: [] as number[], require: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const bundle of bundles) {
      for (const [name, script] of Object.entries(PHASE_PROBES) as Array<[keyof typeof PHASE_PROBES, string]>) {
        const out = Number(await probe(script, [bundle, lists.get(bundle)!], envOf(bundle), execPath));
        if (!Number.isFinite(out)) throw new Error(`init phases: the ${name} probe of ${bundle} printed no number`);
        samples.get(bundle)![name].push(out);
      }
    }
  }
  return new Map(bundles.map((bundle) => [bundle, phasesFrom(samples.get(bundle)!, JSON.parse(lists.get(bundle)!) as string[])]));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 7;
  if (args.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: npx tsx bench/measure/init-phases.ts [--rounds 7] <bundle index.js>...');
    process.exit(2);
  }
  void measureInitPhases(
    args.map((file) => path.resolve(file)),
    rounds,
  ).then((phases) => {
    console.log(
      `init phases, CPU ms, median of ${rounds} (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    console.log('bundle\tbuilt-ins\tcompile\trun\ttotal\tbuilt-ins required');
    for (const [bundle, p] of phases) {
      console.log(
        [path.relative(process.cwd(), bundle), p.builtinsMs.toFixed(1), p.compileMs.toFixed(1), p.runMs.toFixed(1), p.totalMs.toFixed(1), p.builtins.join(' ')].join(
          '\t',
        ),
      );
    }
  });
}
