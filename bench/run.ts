/**
 * `npm run bench`: measures the pipeline on its own local cloud against baselines measured in the
 * same run, prints a table (or `--json`), and writes SVG charts under bench/results/.
 *
 * Usage: npm run bench -- [--json] [--with-tests] [--quick] [--synth | --no-synth] [--aws-port N] [--api-port N]
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isAssemblyCurrent, newestOwnedAssembly, ownedAssemblyDir, synthInputsHash } from '../local/synth';
import type { LocalCloud } from '../local';
import { type BenchTarget, createClients } from './lib/aws';
import { latencyCdfSvg, latencyHistogramSvg, throughputBarsSvg, type BarPair } from './lib/charts';
import { formatTable, makeFigure, type Row, toJsonFigure } from './lib/figures';
import { summarize } from './lib/stats';
import { log, withTimeout } from './lib/util';
import { cliAvailable, measureCliReplay } from './measure/cli-replay';
import { measureColdStarts } from './measure/cold-start';
import { measureBatchWrite, measureDynamoRoundTrip } from './measure/dynamodb-baselines';
import { measureIngest } from './measure/ingest';
import { DEFAULT_LATENCY_OPTIONS, measureLatency } from './measure/latency';
import { measureProjection, measureReplay } from './measure/projection';
import { measureStartup } from './measure/startup';
import { measureTests, readRecordedTests } from './measure/tests';

const HELP = `usage: npm run bench -- [options]

  --json           print one JSON object {"figures":[…]} on stdout (progress stays on stderr)
  --with-tests     also time npm run test:unit and test:infra (recorded for later runs)
  --quick          smaller loads (a smoke run: figures are less stable)
  --synth          synthesize into .sluice/cdk.out even if the assembly is current
  --no-synth       use the newest assembly in .sluice/cdk.out as it is, even if stale
  --aws-port N     the bench cloud's AWS endpoint (default 4650; a free port if taken)
  --api-port N     the bench cloud's API (default 3150; a free port if taken)
  -h, --help       show this help

Charts and the full result go to bench/results/; the local cloud's log to .sluice/bench/local-cloud.log.`;

interface Args {
  json: boolean;
  withTests: boolean;
  quick: boolean;
  synth: 'auto' | 'always' | 'never';
  awsPort: number;
  apiPort: number;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, withTests: false, quick: false, synth: 'auto', awsPort: 4650, apiPort: 3150, help: false };
  const port = (name: string, raw: string | undefined) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number 1-65535 (got "${raw}")`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--with-tests') args.withTests = true;
    else if (arg === '--quick') args.quick = true;
    else if (arg === '--synth') args.synth = 'always';
    else if (arg === '--no-synth') args.synth = 'never';
    else if (arg === '--aws-port') args.awsPort = port(arg, argv[++i]);
    else if (arg === '--api-port') args.apiPort = port(arg, argv[++i]);
    else if (arg === '-h' || arg === '--help') args.help = true;
    else throw new Error(`unknown option "${arg}": run npm run bench -- --help`);
  }
  return args;
}

/** `preferred` if nothing listens there, else any free port. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) => new Promise<number | undefined>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}

const loadText = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const root = path.resolve(__dirname, '..');
  const benchDir = path.join(root, '.sluice', 'bench');
  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(benchDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const runId = Date.now().toString(36);
  const machine = { cpus: os.cpus().length, node: process.version, loadAtStart: loadText(), loadAtEnd: '' };
  log(`run ${runId}: ${machine.cpus} CPUs, Node ${machine.node}, load average (1/5/15 min) ${machine.loadAtStart}`);

  // The local cloud's own assembly (.sluice/cdk.out/<inputs hash>): synthesized when the inputs changed.
  const inputsHash = synthInputsHash(root);
  const assembly = ownedAssemblyDir(root, inputsHash);
  const assemblyCurrent = () => isAssemblyCurrent(assembly, inputsHash);
  const synth = args.synth;
  if (synth === 'never' && !assemblyCurrent()) log('the assembly is older than the sources: measuring the newest one as it is (--no-synth)');
  log(`cloud assembly: ${path.relative(root, assembly)}${synth === 'never' ? '' : ' (synthesized if stale)'}`);

  const rows: Row[] = [];
  const errors: string[] = [];
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    log(`${what}...`);
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push(`${what}: ${message}`);
      log(`${what} failed: ${message}`);
      return undefined;
    }
  };
  const q = args.quick;
  const bars: BarPair[] = [];
  let latencies: number[] = [];

  // 1. The pipeline on its own local cloud.
  const awsPort = await freePort(args.awsPort);
  const apiPort = await freePort(args.apiPort);
  const cloudLog = createWriteStream(path.join(benchDir, 'local-cloud.log'), { flags: 'w' });
  let cloud: LocalCloud | undefined;
  const stopCloud = async () => {
    const running = cloud;
    cloud = undefined;
    if (running) {
      log('stopping the local cloud');
      await running.stop();
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    void stopCloud().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let functions: LocalCloud['app']['functions'] = [];
  try {
    log(`starting the local cloud on AWS :${awsPort}, API :${apiPort}`);
    const { startLocalCloud } = await import('../local');
    cloud = await withTimeout(startLocalCloud({
      projectRoot: root, synth, awsPort, apiPort,
      outputsFile: path.join(benchDir, 'outputs.json'),
      log: (source, line) => cloudLog.write(`[${source}] ${line}\n`),
    }), 180_000, 'starting the local cloud');
    log(`local cloud ready in ${(cloud.timings.total / 1000).toFixed(1)} s`);
    functions = cloud.app.functions;
    const target: BenchTarget = {
      awsEndpoint: cloud.awsEndpoint, apiUrl: cloud.apiUrl, apiKey: cloud.apiKey,
      outputs: Object.assign({}, ...Object.values(cloud.outputs)) as Record<string, string>,
    };
    const clients = createClients(cloud.awsEndpoint);
    try {
      const roundTrip = await attempt('baseline: DynamoDB PutItem + GetItem round trip', () => withTimeout(measureDynamoRoundTrip(clients, runId, q ? 50 : 200), 120_000, 'round trip'));
      const batchWrite = await attempt('baseline: raw BatchWriteItem', () => withTimeout(measureBatchWrite(clients, runId, q ? 500 : 2000), 120_000, 'BatchWriteItem'));

      const latency = await attempt('end-to-end latency', () => withTimeout(
        measureLatency(target, runId, q ? { ...DEFAULT_LATENCY_OPTIONS, commands: 100, accounts: 20 } : DEFAULT_LATENCY_OPTIONS), 600_000, 'latency'));
      if (latency && latency.latenciesMs.length > 0) {
        latencies = latency.latenciesMs;
        const s = summarize(latency.latenciesMs);
        const base = roundTrip?.summary.p50 ?? null;
        const note = `${s.count} commands, 4 in flight, GET every ${DEFAULT_LATENCY_OPTIONS.pollIntervalMs} ms after the last (mean GET ${latency.meanGetMs.toFixed(1)} ms)` +
          `${latency.timedOut ? `, ${latency.timedOut} timed out (excluded)` : ''}`;
        rows.push(makeFigure({ name: 'e2e latency p50', value: s.p50, unit: 'ms', baseline: base, baselineLabel: 'DynamoDB Put+Get p50', target: { on: 'value', op: '<=', limit: 100 }, note }));
        rows.push(makeFigure({ name: 'e2e latency p95', value: s.p95, unit: 'ms', baseline: base, baselineLabel: 'DynamoDB Put+Get p50' }));
        rows.push(makeFigure({ name: 'e2e latency p99', value: s.p99, unit: 'ms', baseline: base, baselineLabel: 'DynamoDB Put+Get p50', target: { on: 'value', op: '<=', limit: 300 } }));
      } else {
        rows.push(makeFigure({ name: 'e2e latency p50', value: null, unit: 'ms', target: { on: 'value', op: '<=', limit: 100 }, note: 'not measured (see errors)' }));
      }

      const projection = await attempt('projection throughput', () => withTimeout(measureProjection(target, clients, runId, q ? 20 : 40, q ? 10 : 25), 240_000, 'projection'));
      rows.push(makeFigure({
        name: 'projection throughput', value: projection?.eventsPerSecond ?? null, unit: 'events/s',
        baseline: batchWrite ?? null, baselineLabel: 'raw BatchWriteItem items/s',
        note: projection ? `${projection.events} events seeded into the event store (seeding took ${(projection.seedMs / 1000).toFixed(1)} s of it) until the read model had all` : 'not measured',
      }));
      const replay = await attempt('replay rebuild', () => withTimeout(measureReplay(target, clients, runId), 240_000, 'replay'));
      rows.push(makeFigure({
        name: 'replay rebuild', value: replay?.eventsPerSecond ?? null, unit: 'events/s',
        baseline: batchWrite ?? null, baselineLabel: 'raw BatchWriteItem items/s', target: { on: 'ratio', op: '>=', limit: 0.5 },
        note: replay ? `${replay.events} events of ${replay.accounts} accounts: Scan + domain fold + BatchWriteItem into fresh tables${replay.skippedAccounts ? `; ${replay.skippedAccounts} accounts skipped` : ''}` : 'not measured',
      }));
      if (cliAvailable(root)) {
        const cli = await attempt('replay rebuild through the sluice CLI', () => measureCliReplay(root, cloud!.awsEndpoint, path.join(benchDir, 'outputs.json')));
        rows.push(makeFigure({
          name: 'replay rebuild (sluice CLI)', value: cli?.eventsPerSecond ?? null, unit: 'events/s',
          baseline: batchWrite ?? null, baselineLabel: 'raw BatchWriteItem items/s', target: { on: 'ratio', op: '>=', limit: 0.5 },
          note: cli ? `sluice replay read-model --target fresh: ${cli.events} events in ${(cli.wallMs / 1000).toFixed(1)} s of process wall time (Node + CLI start included)` : 'not measured',
        }));
      }

      // Last: the swipes keep the fraud detector busy for a while after the measurement.
      const ingest = await attempt('ingest throughput', () => withTimeout(measureIngest(target, clients, runId, q ? 5000 : 20_000), 300_000, 'ingest'));
      rows.unshift(makeFigure({
        name: 'ingest POST /events', value: ingest?.apiEventsPerSecond ?? null, unit: 'events/s',
        baseline: ingest?.rawEventsPerSecond ?? null, baselineLabel: 'raw PutRecords 1 client', target: { on: 'ratio', op: '>=', limit: 0.8 },
        note: ingest ? `${ingest.events} swipes in batches of 500 from 4 clients vs the same count raw, 500 per call${ingest.apiFailed ? `; ${ingest.apiFailed} failed entries` : ''}` : 'not measured',
      }));
      if (ingest) bars.push({ label: 'POST /events', value: ingest.apiEventsPerSecond, baseline: ingest.rawEventsPerSecond, baselineLabel: 'raw PutRecords' });
      if (projection && batchWrite) bars.push({ label: 'projection', value: projection.eventsPerSecond, baseline: batchWrite, baselineLabel: 'BatchWriteItem' });
      if (replay && batchWrite) bars.push({ label: 'replay', value: replay.eventsPerSecond, baseline: batchWrite, baselineLabel: 'BatchWriteItem' });
    } finally {
      clients.destroy();
    }
  } catch (error) {
    errors.push(`local cloud: ${error instanceof Error ? error.message : String(error)}`);
    log(`local cloud failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopCloud();
    cloudLog.end();
  }

  // 2. Without the bench cloud running: cold starts, npm start, tests.
  if (functions.length === 0 && existsSync(path.join(assembly, 'manifest.json'))) {
    const { loadLocalApp } = await import('../local');
    functions = loadLocalApp(assembly, { awsEndpoint: 'http://localhost:4566', apiPort: 3000 }).functions;
  }
  const cold = await attempt('cold start (bundle size, module init)', () => withTimeout(measureColdStarts(functions, benchDir, q ? 3 : 5), 300_000, 'cold start'));
  for (const fn of cold?.results ?? []) {
    rows.push(makeFigure({
      name: `bundle ${fn.name}`, value: fn.bundleBytes / 1024, unit: 'KB', target: { on: 'value', op: '<=', limit: 300 },
      ...(fn.largest ? { note: `largest package ${fn.largest.name}: ${Math.round(fn.largest.share * 100)} % of the bytes` } : {}),
    }));
  }
  for (const fn of cold?.results ?? []) {
    rows.push(makeFigure({
      name: `init ${fn.name}`, value: fn.initMs, unit: 'ms', baseline: cold!.emptyMs, baselineLabel: 'empty module require',
      target: { on: 'value', op: '<=', limit: 50 },
    }));
  }

  if (newestOwnedAssembly(root)) {
    const startAws = await freePort(args.awsPort + 1);
    const startApi = await freePort(args.apiPort + 1);
    const startup = await attempt(`npm start to ready (AWS :${startAws}, API :${startApi})`, () => measureStartup(root, startAws, startApi));
    rows.push(makeFigure({
      name: 'npm start to ready', value: startup ? startup.readyMs / 1000 : null, unit: 's',
      baseline: startup ? startup.tsxNoopMs / 1000 : null, baselineLabel: 'npx tsx -e 0', target: { on: 'value', op: '<=', limit: 20 },
      note: startup ? `--no-synth on .sluice/cdk.out${assemblyCurrent() ? '' : ' (stale: synth time not included)'}; ${startup.stoppedCleanly ? 'stopped cleanly on SIGINT ("stopped.")' : 'did NOT stop cleanly on SIGINT'}` : 'not measured',
    }));
  }

  const recordFile = path.join(benchDir, 'test-times.json');
  const tests = args.withTests ? await attempt('test suite (unit + infra)', () => measureTests(root, recordFile)) : readRecordedTests(recordFile);
  const testsSource = tests ? (args.withTests ? 'measured in this run' : `recorded by a --with-tests run at ${tests.measuredAt}`) : 'not measured: run with --with-tests';
  for (const [name, ms, passed] of [['tests unit wall time', tests?.unitMs, tests?.unitPassed], ['tests infra wall time', tests?.infraMs, tests?.infraPassed]] as const) {
    rows.push(makeFigure({ name, value: ms === undefined ? null : ms / 1000, unit: 's', note: `${testsSource}${passed === false ? '; the suite FAILED' : ''}` }));
  }

  machine.loadAtEnd = loadText();
  log(`load average at the end: ${machine.loadAtEnd}`);

  // 3. Results.
  writeFileSync(path.join(resultsDir, 'latency-histogram.svg'), latencyHistogramSvg(latencies));
  writeFileSync(path.join(resultsDir, 'latency-cdf.svg'), latencyCdfSvg(latencies));
  writeFileSync(path.join(resultsDir, 'throughput.svg'), throughputBarsSvg(bars, 'events (items) per second'));
  const table = formatTable(rows);
  writeFileSync(path.join(resultsDir, 'results.json'), `${JSON.stringify({ runId, machine, figures: rows, errors, latenciesMs: latencies.map((l) => Math.round(l * 10) / 10) }, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'results.txt'), `${table}\n\nmachine: ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAtStart} at start, ${machine.loadAtEnd} at end\n`);
  if (args.json) process.stdout.write(`${JSON.stringify({ figures: rows.map(toJsonFigure) })}\n`);
  else {
    process.stdout.write(`\n${table}\n\nmachine: ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAtStart} (start) → ${machine.loadAtEnd} (end)\n`);
    process.stdout.write(`charts and full results: ${path.relative(root, resultsDir)}/\n`);
  }
  for (const error of errors) log(`error: ${error}`);
  return errors.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
