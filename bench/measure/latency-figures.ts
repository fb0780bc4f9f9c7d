/**
 * The latency figures of one run: the floor under the path (`latency-floor.ts`), then the
 * command → read model latency (`latency.ts`) with the outbox relay's and the projector's
 * invocations recorded, then the hop table from the times the pipeline recorded
 * (`latency-trace.ts`, `../lib/hops.ts`).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { LocalApp } from '../../local/model';
import { pollerStreamClients, type PollerReads } from '../../local/mappings/poller-clients';
import type { LambdaRunner } from '../../local/runtime';
import { type BenchClients, type BenchTarget, output } from '../lib/aws';
import type { Row } from '../lib/figures';
import { GOALS, makeGoalFigure } from '../lib/goals';
import { HOPS, type HopSummary, latencyLimit, summarizeHops } from '../lib/hops';
import { makeFigure } from '../lib/figures';
import { summarize, type Summary } from '../lib/stats';
import { measureLatencyFloor, type FloorResult } from './latency-floor';
import { DEFAULT_LATENCY_OPTIONS, type LatencyOptions, measureLatency } from './latency';
import { appendsByKey, buildTimelines, firstInvocationByEvent, readArrivals, readStoreStream, recordInvocations } from './latency-trace';

export interface LatencyFigures {
  readonly rows: Row[];
  readonly latenciesMs: number[];
  readonly hops: HopSummary[];
  readonly floor?: FloorResult & { summary: Summary };
}

/** The relay (the mapping on the event store's stream) and the projector, by their physical names. */
export function pipelineFunctions(app: LocalApp, eventStoreTable: string): { command: string; relay: string; projector: string } {
  const relay = app.mappings.find((mapping) => mapping.kind === 'dynamodb' && mapping.sourceName === eventStoreTable)?.functionName;
  const named = (name: string, logicalId: RegExp) => app.functions.find((fn) => fn.displayName === name || logicalId.test(fn.logicalId))?.functionName;
  const projector = named('projector', /^Projector/);
  const command = named('command', /^Command/);
  if (!relay || !projector || !command) {
    throw new Error(
      `cannot find the command (${command ?? 'none'}), the outbox relay (${relay ?? 'none'}) or the projector (${projector ?? 'none'}) among the app's mappings and functions`,
    );
  }
  return { command, relay, projector };
}

/** Floor, latency and hops; `log` gets progress lines. */
export async function measureLatencyFigures(ctx: {
  target: BenchTarget;
  clients: BenchClients;
  runner: LambdaRunner;
  app: LocalApp;
  /** Where the cloud's stream pollers read (`LocalCloud.pollerReads`); through the endpoint when absent. */
  pollerReads?: PollerReads;
  runId: string;
  options?: LatencyOptions;
  log(line: string): void;
}): Promise<LatencyFigures> {
  const options = ctx.options ?? DEFAULT_LATENCY_OPTIONS;
  const eventStore = output(ctx.target, 'EventStoreTableName');
  const { command, relay, projector } = pipelineFunctions(ctx.app, eventStore);
  const streamArn = (await ctx.clients.dynamo.send(new DescribeTableCommand({ TableName: eventStore }))).Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`the event store table ${eventStore} has no stream`);
  // The floor's two reads are the pollers' reads: over their clients, from where they read (the emulators themselves).
  const { streams, kinesis: pollerKinesis } = pollerStreamClients(ctx.target.awsEndpoint, ctx.pollerReads);
  const recorder = recordInvocations(ctx.runner, [relay, projector], command);
  try {
    const latency = await measureLatency(ctx.target, ctx.runId, options);
    recorder.detach();
    ctx.log('latency: floor chains');
    const floorRun = await measureLatencyFloor(
      {
        target: ctx.target,
        clients: ctx.clients,
        streams,
        pollerKinesis,
        runner: ctx.runner,
        storeStreamArn: streamArn,
        relayFunction: relay,
        projectorFunction: projector,
        accountId: `bench-${ctx.runId}-lat-0`,
      },
      ctx.runId,
      Math.min(100, options.commands),
      options.concurrency,
    );
    const floor = { ...floorRun, summary: summarize(floorRun.chainsMs) };
    ctx.log('latency: reading the event store stream and the events stream for the hop times');
    const timelines = buildTimelines(latency.samples, {
      store: await readStoreStream(streams, streamArn),
      arrivals: await readArrivals(ctx.clients.kinesis, output(ctx.target, 'EventsStreamName')),
      commands: appendsByKey(recorder.records),
      relay: firstInvocationByEvent(recorder.records, relay),
      projector: firstInvocationByEvent(recorder.records, projector),
    });
    const hops = summarizeHops(timelines);
    return { rows: latencyRows(latency, floor, hops, options), latenciesMs: latency.latenciesMs, hops, floor };
  } finally {
    recorder.detach();
    streams.destroy();
    pollerKinesis.destroy();
  }
}

function latencyRows(
  latency: Awaited<ReturnType<typeof measureLatency>>,
  floor: NonNullable<LatencyFigures['floor']>,
  hops: HopSummary[],
  options: LatencyOptions,
): Row[] {
  if (latency.latenciesMs.length === 0) {
    return [makeGoalFigure(GOALS.latencyP50, { value: null, note: 'no command became visible (see errors)' })];
  }
  const s = summarize(latency.latenciesMs);
  const base = { baselineLabel: 'floor chain, same run' };
  const p50Limit = latencyLimit(GOALS.latencyP50.target.limit, floor.summary.p50);
  const p99Limit = latencyLimit(GOALS.latencyP99.target.limit, floor.summary.p99);
  const limitNote = (limit: ReturnType<typeof latencyLimit>) =>
    limit.fromFloor ? `; the floor is above the goal, so the limit is 1.5× the floor: ${limit.limitMs.toFixed(0)} ms` : '';
  const note =
    `${s.count} commands, ${options.concurrency} in flight, GET every ${options.pollIntervalMs} ms after the last (mean GET ${latency.meanGetMs.toFixed(1)} ms)` +
    `${latency.timedOut ? `, ${latency.timedOut} timed out (excluded)` : ''}${latency.failed ? `, ${latency.failed} answered 5xx (excluded)` : ''}; floor p50 ${floor.summary.p50.toFixed(1)} ms over ${floor.summary.count} chains${limitNote(p50Limit)}`;
  const rows: Row[] = [
    makeGoalFigure(GOALS.latencyP50, { value: s.p50, baseline: floor.summary.p50, ...base, limit: p50Limit.limitMs, note }),
    makeFigure({ name: 'e2e latency p95', value: s.p95, unit: 'ms', baseline: floor.summary.p95, ...base }),
    makeGoalFigure(GOALS.latencyP99, {
      value: s.p99,
      baseline: floor.summary.p99,
      ...base,
      limit: p99Limit.limitMs,
      note: `floor p99 ${floor.summary.p99.toFixed(1)} ms${limitNote(p99Limit)}`,
    }),
  ];
  for (const hop of hops) {
    rows.push(
      makeFigure({
        name: `e2e hop ${hop.label} p50`,
        value: hop.p50,
        unit: 'ms',
        note: `p99 ${hop.p99 === null ? '–' : hop.p99.toFixed(1)} ms over ${hop.samples} commands`,
      }),
    );
  }
  const steps = Object.entries(floor.stepP50Ms)
    .map(([step, ms]) => `${step} ${ms.toFixed(1)}`)
    .join(' + ');
  const references = Object.entries(floor.referenceStepP50Ms)
    .map(([step, ms]) => `${step} ${ms.toFixed(1)}`)
    .join(', ');
  rows.push(
    makeFigure({
      name: 'e2e latency floor p50',
      value: floor.summary.p50,
      unit: 'ms',
      note: `sum of one chain of unavoidable round trips, p50 per step: ${steps}; beside it: ${references}`,
    }),
  );
  // The command's own floor: not in the figure's (the figure starts once the POST has answered), but the floor of the API → append hop.
  const command = summarize(floor.commandChainsMs);
  const apiToAppend = hops.find((hop) => hop.label === HOPS[0].label);
  const commandSteps = Object.entries(floor.commandStepP50Ms)
    .map(([step, ms]) => `${step} ${ms.toFixed(1)}`)
    .join(' + ');
  rows.push(
    makeFigure({
      name: 'e2e command floor p50',
      value: command.p50,
      unit: 'ms',
      note: `the floor of the ${HOPS[0].label} hop (p50 ${apiToAppend?.p50?.toFixed(1) ?? '–'} ms); p99 ${command.p99.toFixed(1)} ms; p50 per step: ${commandSteps}`,
    }),
  );
  return rows;
}
