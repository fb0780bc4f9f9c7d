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
import { isAssemblyCurrent, newestOwnedAssembly, ownedAssemblyDir, synthAssembly, synthInputsHash } from '../local/synth';
import type { LocalCloud } from '../local';
import type { RunningRuntime } from '../local/runtime';
import { type BenchTarget, createClients } from './lib/aws';
import { latencyCdfSvg, latencyHistogramSvg, throughputBarsSvg, type BarPair } from './lib/charts';
import { formatTable, makeFigure, type Row, toJsonFigure } from './lib/figures';
import { completeReport, type Goal, GOALS, makeGoalFigure } from './lib/goals';
import { formatHopTable, type HopSummary } from './lib/hops';
import { judgedMb, type MemoryBreakdown, sampleMemory } from './lib/memory';
import { describeSpread, interleave, type TrialSummary } from './lib/trials';
import { median } from './lib/stats';
import { log, withTimeout } from './lib/util';
import { buildCliBundle, cliAvailable, measureCliReplay, measureCliStart, seedCliReplayStore } from './measure/cli-replay';
import { measureColdStarts } from './measure/cold-start';
import { measureBatchWrite } from './measure/dynamodb-baselines';
import { measureIngest } from './measure/ingest';
import { DEFAULT_LATENCY_OPTIONS } from './measure/latency';
import { measureLatencyFigures } from './measure/latency-figures';
import { ensureReplayHistory, measureProjection, measureProjectionDrain, measureReplay } from './measure/projection';
import { measureStartTimes } from './measure/start-time';
import { measureStartup } from './measure/startup';
import { measureTests, readRecordedTests } from './measure/tests';

/** The groups of figures `--only` can pick. */
export const PHASES = ['latency', 'projection', 'replay', 'cli', 'ingest', 'cold', 'startup', 'tests'] as const;
export type Phase = (typeof PHASES)[number];

const HELP = `usage: npm run bench -- [options]

  --json           print one JSON object {"figures":[…]} on stdout (progress stays on stderr)
  --with-tests     also time npm run test:unit and test:infra (recorded for later runs)
  --quick          smaller loads (a smoke run: figures are less stable)
  --synth          synthesize into .sluice/cdk.out even if the assembly is current
  --no-synth       use the newest assembly in .sluice/cdk.out as it is, even if stale
  --aws-port N     the bench cloud's AWS endpoint (default 4650; a free port if taken)
  --api-port N     the bench cloud's API (default 3150; a free port if taken)
  --only LIST      measure only these groups (comma-separated): ${PHASES.join(', ')}
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
  /** Undefined: every group. */
  only?: ReadonlySet<Phase>;
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
    else if (arg === '--only') args.only = parsePhases(argv[++i]);
    else if (arg === '-h' || arg === '--help') args.help = true;
    else throw new Error(`unknown option "${arg}": run npm run bench -- --help`);
  }
  return args;
}

function parsePhases(raw: string | undefined): Set<Phase> {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes a comma-separated list of ${PHASES.join(', ')} (got "${raw ?? ''}")`);
  return new Set(names as Phase[]);
}

/** `preferred` if nothing listens there, else any free port. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}

const loadText = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

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
  const wants = (phase: Phase) => !args.only || args.only.has(phase);
  const bars: BarPair[] = [];
  let latencies: number[] = [];
  let hops: HopSummary[] = [];
  let memory: MemoryBreakdown | undefined;

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
  const cloudPhases: Phase[] = ['latency', 'projection', 'replay', 'cli', 'ingest'];
  let memorySampler: ReturnType<typeof sampleMemory> | undefined;
  // The CLI's start first, on a machine the local cloud does not load yet (it doubles Node's own start).
  if (wants('cli') && cliAvailable(root)) {
    await buildCliBundle();
    const start = await attempt('sluice CLI start (sluice --help, interleaved with node -e 0, before the local cloud starts)', () =>
      measureCliStart(root, q ? 5 : 15),
    );
    if (start) {
      const ms = (value: number) => value.toFixed(0);
      rows.push(
        makeGoalFigure(GOALS.cliStart, {
          value: start.medianMs,
          baseline: start.nodeMedianMs,
          baselineLabel: 'node -e 0',
          note:
            `median of ${start.rounds} interleaved rounds before the local cloud starts, load average ${loadText()}; ` +
            `the CLI's own share (sluice --help − node -e 0, per round) ${ms(start.ownMedianMs)} ms (${ms(start.ownMinMs)}–${ms(start.ownMaxMs)})`,
        }),
      );
    }
  }
  try {
    if (!cloudPhases.some(wants)) throw new SkipCloud();
    log(`starting the local cloud on AWS :${awsPort}, API :${apiPort}`);
    const { startLocalCloud } = await import('../local');
    const { startRuntime } = await import('../local/runtime');
    let runtime: RunningRuntime | undefined;
    cloud = await withTimeout(
      startLocalCloud({
        projectRoot: root,
        synth,
        awsPort,
        apiPort,
        outputsFile: path.join(benchDir, 'outputs.json'),
        log: (source, line) => cloudLog.write(`[${source}] ${line}\n`),
        // The real runtime; the bench keeps its handle to record the relay's and projector's invocations.
        startRuntime: async (app, options) => (runtime = await startRuntime(app, options)),
      }),
      180_000,
      'starting the local cloud',
    );
    log(`local cloud ready in ${(cloud.timings.total / 1000).toFixed(1)} s`);
    // esbuild's service (a child process that outlives its builds: the synth's function bundles and
    // the CLI bundle, 700+ MB resident after them) is the bench's build tool, not the running cloud.
    // A later build (the cold-start phase's synth) starts it again.
    // Not esbuild's own stop(): the console page may still be building, and its build would never settle.
    await (await import('../local/bundles/esbuild-service')).stopEsbuildWhenBuilt();
    memorySampler = sampleMemory(1000); // from ready on: a synth's processes are not the running cloud
    functions = cloud.app.functions;
    const target: BenchTarget = {
      awsEndpoint: cloud.awsEndpoint,
      apiUrl: cloud.apiUrl,
      apiKey: cloud.apiKey,
      outputs: Object.assign({}, ...Object.values(cloud.outputs)) as Record<string, string>,
    };
    const clients = createClients(cloud.awsEndpoint);
    try {
      const batchWriteItems = q ? 500 : 2000;
      let batchWrites = 0; // each baseline round writes a table of its own
      const batchWriteOf = (items: number) => () => withTimeout(measureBatchWrite(clients, `${runId}b${batchWrites++}`, items), 120_000, 'BatchWriteItem');
      const batchWrite = batchWriteOf(batchWriteItems);
      const rounds = q ? 2 : 3;

      if (wants('latency')) {
        memorySampler.phase('latency');
        const latency = await attempt('end-to-end latency, its floor and hops', () =>
          withTimeout(
            measureLatencyFigures({
              target,
              clients,
              runner: runtime!.runner,
              app: cloud!.app,
              pollerReads: cloud!.pollerReads,
              runId,
              log,
              ...(q ? { options: { ...DEFAULT_LATENCY_OPTIONS, commands: 100, accounts: 20 } } : {}),
            }),
            900_000,
            'latency',
          ),
        );
        if (latency) {
          rows.push(...latency.rows);
          latencies = latency.latenciesMs;
          hops = latency.hops;
        } else {
          rows.push(makeGoalFigure(GOALS.latencyP50, { value: null, note: 'not measured (see errors)' }));
        }
      }

      if (wants('projection')) {
        memorySampler.phase('projection');
        let events = 0;
        const drains: string[] = [];
        const endToEnd: number[] = [];
        const stages: string[] = [];
        // What `GET /_sluice/settled` checks, read through the endpoint (the bench injects no faults).
        const { SettledProbe } = await import('../local/settled');
        const probe = new SettledProbe({
          app: cloud.app,
          targets: { kinesis: cloud.awsEndpoint, dynamodb: cloud.awsEndpoint, sqs: cloud.awsEndpoint },
          runner: runtime!.runner,
          streamStatus: runtime!.streamStatus,
        });
        const drainContext = {
          runner: runtime!.runner,
          app: cloud.app,
          setStreamMappingsEnabled: runtime!.setStreamMappingsEnabled,
          pending: (quick: boolean) => probe.pending(quick),
        };
        // Both halves of a round start on a quiet cloud: the baseline waits until it is settled (after
        // a round's end-to-end measure the relay, the other consumers and the SQS workers are still at
        // work, and a baseline run among them was slow, a round's ratio high: 0.21–0.89 in one run), as
        // the drain waits for everything but its own backlog (measureProjectionDrain).
        const settledBatchWrite = (items: number) => async () => {
          const settled = await probe.waitSettled(120_000);
          if (!settled.settled) log(`the cloud was not settled before a BatchWriteItem baseline: ${JSON.stringify(settled.pending)}`);
          return batchWriteOf(items)();
        };
        const seconds = (ms: number) => (ms / 1000).toFixed(1);
        // A backlog that takes seconds to drain, and a baseline of as many items: with 1,000 events
        // (about 1 s) the wake-up of the enabled mapping and the machine's noise decided the ratio
        // (0.15–1.06 over one run's rounds). The accounts stay 40: the rate depends on how many
        // events of one account a batch holds (docs/benchmarks.md, "Projection as a drain").
        const drainLoad = { accounts: q ? 20 : 40, eventsPerAccount: q ? 10 : 100 };
        // Each round: the projector draining a backlog (the figure), then the pipeline end to end (info).
        const projection = await attempt('projection throughput (interleaved with raw BatchWriteItem)', () =>
          interleave(rounds, settledBatchWrite(drainLoad.accounts * drainLoad.eventsPerAccount), async (round) => {
            // Seeding, the relay and the wait for the SQS workers (4,000 notifications) are not timed but take minutes on a loaded machine.
            const drain = await withTimeout(measureProjectionDrain(target, clients, drainContext, `${runId}r${round}`, drainLoad), 600_000, 'projection');
            events += drain.events;
            drains.push(
              `${seconds(drain.drainMs)} s in ${drain.invocations} invocations of ${drain.eventsPerInvocation.toFixed(0)} events` +
                (drain.firstInvocationMs === undefined
                  ? ''
                  : `, the first after ${drain.firstInvocationMs} ms taking ${drain.firstBatchMs} ms (median ${drain.medianBatchMs} ms)`) +
                (drain.notQuiet.length > 0 ? ` (started beside ${drain.notQuiet.map((item) => item.kind).join(', ')} still pending)` : ''),
            );
            const result = await withTimeout(
              measureProjection(target, clients, `${runId}r${round}`, { accounts: q ? 10 : 20, eventsPerAccount: q ? 10 : 25 }),
              240_000,
              'projection end to end',
            );
            endToEnd.push(result.eventsPerSecond);
            stages.push(
              `seeded ${seconds(result.seedMs)} / relayed ${result.relayedMs === undefined ? '?' : seconds(result.relayedMs)} / projected ${seconds(result.projectedMs)}`,
            );
            return drain.eventsPerSecond;
          }),
        );
        rows.push(
          trialFigure(
            GOALS.projection,
            projection,
            'raw BatchWriteItem items/s',
            `a backlog of ${events / rounds} events per round on the events stream (projector mapping disabled while they were seeded and relayed), drained from enabling the mapping until the read model had all: ${drains.join('; ')}` +
              `; per round drain events/s ÷ raw items/s: ${(projection?.all ?? []).map((round) => `${round.value.toFixed(0)} / ${round.baseline.toFixed(0)}`).join(', ')}`,
          ),
        );
        if (endToEnd.length > 0) {
          const value = median(endToEnd);
          rows.push(
            makeFigure({
              name: 'projection end to end (store → read model)',
              unit: 'events/s',
              value,
              ...(projection ? { baseline: projection.baseline, baselineLabel: 'raw BatchWriteItem items/s' } : {}),
              note: `median of ${endToEnd.length} rounds; events seeded into the event store, from the first write until the read model had all (relay and Kinesis included); per round, s from the first write: ${stages.join('; ')}`,
            }),
          );
        }
        if (projection) bars.push({ label: 'projection', value: projection.value, baseline: projection.baseline, baselineLabel: 'BatchWriteItem' });
      }
      if (wants('replay')) {
        memorySampler.phase('replay');
        const added = await attempt('topping up the event store the replay folds', () => ensureReplayHistory(target, clients, runId));
        const toppedUp = added ? `the store was topped up with ${added} events first; ` : '';
        let note = '';
        const replay = await attempt('replay rebuild (interleaved with raw BatchWriteItem)', () =>
          interleave(rounds, batchWrite, async (round) => {
            const result = await withTimeout(measureReplay(target, clients, `${runId}r${round}`), 240_000, 'replay');
            note = `${toppedUp}${result.events} events of ${result.accounts} accounts: Scan + domain fold + BatchWriteItem into fresh tables${result.skippedAccounts ? `; ${result.skippedAccounts} accounts skipped` : ''}`;
            return result.eventsPerSecond;
          }),
        );
        rows.push(trialFigure(GOALS.replay, replay, 'raw BatchWriteItem items/s', note));
        if (replay) bars.push({ label: 'replay', value: replay.value, baseline: replay.baseline, baselineLabel: 'BatchWriteItem' });
      }
      if (wants('cli') && cliAvailable(root)) {
        memorySampler.phase('cli');
        let note = '';
        // Its own event store of a fixed size, and the baseline writing as many items (interleaved).
        const store = await attempt('seeding the event store the sluice CLI replays', () =>
          seedCliReplayStore(clients, target.outputs, benchDir, runId, q ? 80 : 200, 25),
        );
        const cli =
          store &&
          (await attempt('replay rebuild through the sluice CLI (interleaved with raw BatchWriteItem)', () =>
            interleave(rounds, batchWriteOf(store.events), async () => {
              const result = await measureCliReplay(root, clients, cloud!.awsEndpoint, store.outputsFile);
              const t = result.timings;
              note =
                `sluice replay read-model --target fresh: ${result.events} events in ${(result.wallMs / 1000).toFixed(1)} s of process wall time ` +
                `(Node + CLI start included: command running at ${t.startedMs} ms, tables ready at ${t.tablesReadyMs} ms, last segment scanned at ${t.lastScanMs} ms, written at ${t.writtenMs} ms); baseline writes as many items`;
              return result.eventsPerSecond;
            }),
          ));
        await store?.drop();
        rows.push(trialFigure(GOALS.cliReplay, cli, 'raw BatchWriteItem items/s', note));
      }

      // Last: the swipes keep the fraud detector busy for a while after the measurement.
      if (wants('ingest')) {
        memorySampler.phase('ingest');
        const ingest = await attempt('ingest throughput (interleaved with raw PutRecords)', () =>
          withTimeout(measureIngest(target, clients, runId, q ? 5000 : 20_000, rounds), 600_000, 'ingest'),
        );
        rows.unshift(
          trialFigure(
            GOALS.ingest,
            ingest?.trials,
            'raw PutRecords 1 client',
            ingest
              ? `${ingest.events} swipes in batches of 500 from 4 clients vs the same count raw, 500 per call${ingest.apiFailed ? `; ${ingest.apiFailed} failed entries` : ''}`
              : '',
          ),
        );
        if (ingest) bars.push({ label: 'POST /events', value: ingest.trials.value, baseline: ingest.trials.baseline, baselineLabel: 'raw PutRecords' });
      }
    } finally {
      clients.destroy();
    }
  } catch (error) {
    if (!(error instanceof SkipCloud)) {
      errors.push(`local cloud: ${error instanceof Error ? error.message : String(error)}`);
      log(`local cloud failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    memory = memorySampler?.stop();
    await stopCloud();
    cloudLog.end();
  }
  if (cloudPhases.some(wants)) rows.push(memoryFigure(memory));

  // 2. Without the bench cloud running: cold starts, npm start, tests.
  if (functions.length === 0 && wants('cold') && synth !== 'never' && !assemblyCurrent()) {
    // No cloud phase ran (--only): the bundles measured must still be the current sources'.
    await attempt('synthesizing the cloud assembly for the cold-start figures', () => synthAssembly(root, assembly, inputsHash));
  }
  if (functions.length === 0 && existsSync(path.join(assembly, 'manifest.json'))) {
    const { loadLocalApp } = await import('../local');
    functions = loadLocalApp(assembly, { awsEndpoint: 'http://localhost:4566', apiPort: 3000 }).functions;
  }
  const cold = wants('cold')
    ? await attempt('cold start (bundle size, module init)', () => withTimeout(measureColdStarts(functions, benchDir, q ? 3 : 5), 300_000, 'cold start'))
    : undefined;
  for (const fn of cold?.results ?? []) {
    rows.push(
      makeGoalFigure(GOALS.bundle, {
        functionName: fn.name,
        value: fn.bundleBytes / 1024,
        note: [
          `index.js; whole asset ${Math.round(fn.assetBytes / 1024)} KB`,
          ...(fn.largest ? [`largest package ${fn.largest.name}: ${Math.round(fn.largest.share * 100)} % of the bytes`] : []),
        ].join('; '),
      }),
    );
  }
  for (const fn of cold?.results ?? []) {
    rows.push(
      makeGoalFigure(GOALS.init, {
        functionName: fn.name,
        value: fn.initMs,
        baseline: cold!.emptyMs,
        baselineLabel: 'empty module require',
        note: `${fn.node}, node:http preloaded as on Lambda; CPU ${fn.cpuMs.toFixed(0)} ms`,
      }),
    );
  }

  if (wants('startup')) {
    // A clone of HEAD with no .sluice/ (no assembly, no bundles): what a new contributor's first npm start costs, then its second.
    const startAws = await freePort(args.awsPort + 2);
    const startApi = await freePort(args.apiPort + 2);
    const times = await attempt(`npm start on a fresh clone of HEAD, then again warm (AWS :${startAws}, API :${startApi})`, () =>
      measureStartTimes(root, startAws, startApi, q ? 1 : 2),
    );
    const runs = (ms: readonly number[]) => ms.map((m) => (m / 1000).toFixed(1)).join(', ');
    rows.push(
      makeGoalFigure(GOALS.startFresh, {
        value: times ? times.freshMedianMs / 1000 : null,
        note: times
          ? `median of ${times.freshMs.length} clone(s) (s: ${runs(times.freshMs)}); the second start in each clone: ${runs(times.warmMs)} s; ${times.uncleanStops} unclean stop(s)`
          : 'not measured (see errors)',
      }),
    );
  }

  if (wants('startup') && newestOwnedAssembly(root)) {
    const startAws = await freePort(args.awsPort + 1);
    const startApi = await freePort(args.apiPort + 1);
    const startup = await attempt(`npm start to ready (AWS :${startAws}, API :${startApi})`, () => measureStartup(root, startAws, startApi));
    rows.push(
      makeGoalFigure(GOALS.startWarm, {
        value: startup ? startup.readyMs / 1000 : null,
        baseline: startup ? startup.nodeNoopMs / 1000 : null,
        baselineLabel: 'node -e 0',
        note: startup
          ? `--no-synth on .sluice/cdk.out${assemblyCurrent() ? '' : ' (stale: synth time not included)'}; ${startup.stoppedCleanly ? 'stopped cleanly on SIGINT ("stopped.")' : 'did NOT stop cleanly on SIGINT'}`
          : 'not measured',
      }),
    );
  }

  const recordFile = path.join(benchDir, 'test-times.json');
  const tests = !wants('tests')
    ? undefined
    : args.withTests
      ? await attempt('test suite (unit + infra)', () => measureTests(root, recordFile))
      : readRecordedTests(recordFile);
  const testsSource = tests
    ? args.withTests
      ? 'measured in this run'
      : `recorded by a --with-tests run at ${tests.measuredAt}`
    : 'not measured: run with --with-tests';
  for (const [name, ms, passed] of wants('tests')
    ? ([
        ['tests unit wall time', tests?.unitMs, tests?.unitPassed],
        ['tests infra wall time', tests?.infraMs, tests?.infraPassed],
      ] as const)
    : []) {
    rows.push(makeFigure({ name, value: ms === undefined ? null : ms / 1000, unit: 's', note: `${testsSource}${passed === false ? '; the suite FAILED' : ''}` }));
  }

  machine.loadAtEnd = loadText();
  log(`load average at the end: ${machine.loadAtEnd}`);

  // 3. Results.
  writeFileSync(path.join(resultsDir, 'latency-histogram.svg'), latencyHistogramSvg(latencies));
  writeFileSync(path.join(resultsDir, 'latency-cdf.svg'), latencyCdfSvg(latencies));
  writeFileSync(path.join(resultsDir, 'throughput.svg'), throughputBarsSvg(bars, 'events (items) per second'));
  const report = args.only ? rows : completeReport(rows);
  const hopTable = hops.length > 0 ? `\n\ncommand → read model, hop by hop (ms):\n${formatHopTable(hops)}` : '';
  const table = `${formatTable(report)}${hopTable}`;
  writeFileSync(
    path.join(resultsDir, 'results.json'),
    `${JSON.stringify({ runId, machine, figures: report, hops, memory, errors, latenciesMs: latencies.map((l) => Math.round(l * 10) / 10) }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(resultsDir, 'results.txt'),
    `${table}\n\nmachine: ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAtStart} at start, ${machine.loadAtEnd} at end\n`,
  );
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ figures: report.map(toJsonFigure) })}\n`);
    log(`\n${table}`);
  } else {
    process.stdout.write(
      `\n${table}\n\nmachine: ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAtStart} (start) → ${machine.loadAtEnd} (end)\n`,
    );
    process.stdout.write(`charts and full results: ${path.relative(root, resultsDir)}/\n`);
  }
  for (const error of errors) log(`error: ${error}`);
  return errors.length > 0 ? 1 : 0;
}

/** Thrown inside the cloud phase when `--only` picked no group that needs the cloud. */
class SkipCloud extends Error {}

/** A figure from interleaved rounds: the medians, the ratio's spread in the note and the JSON. */
function trialFigure(goal: Goal, trials: TrialSummary | undefined, baselineLabel: string, note: string): Row {
  if (!trials) return makeGoalFigure(goal, { value: null, note: 'not measured (see errors)' });
  return makeGoalFigure(goal, {
    value: trials.value,
    baseline: trials.baseline,
    baselineLabel,
    ratio: trials.ratio,
    spread: { ratioMin: trials.ratioMin, ratioMax: trials.ratioMax, rounds: trials.rounds },
    note: `${describeSpread(trials)}${note ? `; ${note}` : ''}`,
  });
}

function memoryFigure(memory: MemoryBreakdown | undefined): Row {
  if (!memory) return makeGoalFigure(GOALS.memory, { value: null, note: 'not measured: no /proc on this system' });
  const mb = (parts: Readonly<Record<string, number>>) =>
    Object.entries(parts)
      .map(([key, value]) => `${key} ${value.toFixed(0)}`)
      .join(', ');
  const counts = Object.entries(memory.sandboxesByFunction)
    .sort(([, a], [, b]) => b - a)
    .map(([fn, count]) => `${fn} ${count}`)
    .join(', ');
  const pss = memory.pssMb === undefined ? 'PSS not readable here, judged on RSS' : `PSS ${memory.pssMb.toFixed(0)} MB (${mb(memory.pssByKind ?? {})})`;
  return makeGoalFigure(GOALS.memory, {
    value: judgedMb(memory),
    note:
      `peak of the bench process and everything under it${memory.phase ? ` (during ${memory.phase})` : ''}: ${pss}; ` +
      `RSS sum ${memory.totalMb.toFixed(0)} MB (${mb(memory.byKind)}; counts the pages processes share once per process); ` +
      `${memory.processes} processes, ${memory.sandboxes} Lambda sandboxes, ${memory.frozenSandboxes} of them frozen idle (${counts || 'none'})` +
      (Object.keys(memory.otherByName).length > 0 ? `; "other" is ${mb(memory.otherByName)}` : '') +
      '; "main" also holds the bench\'s own clients',
  });
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
