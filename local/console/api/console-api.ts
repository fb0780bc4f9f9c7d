/**
 * The console's server side: what each route answers, from the sources the local cloud hands it.
 * Holds the emulator clients, the event tap and the live hub; `stop()` ends them all.
 */
import type { CliContext } from '../../../cli/context';
import type { ConsumersAnswer, DlqsAnswer, EventsAnswer, RedriveAnswer, StreamAnswer, TopologyAnswer, TraceAnswer } from '../contract';
import { consumersOf } from './consumers';
import { listDlqs, localCliContext, parseRedriveRequest, redriveDlq } from './dlqs';
import { EventTap } from './event-tap';
import { matchesFeedFilter } from '../../../cli/event-filter';
import { collectTrace, TraceNotFoundError } from '../../../cli/trace/collect';
import { ulidTime } from '../../../cli/trace/timeline';
import { buildConsole } from '../build';
import { parseFeedQuery } from './feed-filter';
import { LiveHub, type LiveSnapshot } from './live';
import { countQueues } from './queue-counts';
import { notFound } from './refusal';
import type { LocalApp } from '../../model';
import { emulatorClients, type ConsoleSources, type EmulatorClients } from './sources';
import { streamView } from './stream-view';
import { topologyOf } from './topology';

/** How far in the future an event id's ULID time may lie (DESIGN.md's event-time window). */
const FUTURE_ID_TOLERANCE_MS = 5 * 60_000;

export class ConsoleApi {
  readonly clients: EmulatorClients;
  readonly tap: EventTap;
  readonly live: LiveHub;
  /** The page's build (started with the console): resolves to why it failed, or undefined once built. */
  readonly pageBuild: Promise<string | undefined>;
  private readonly unsubscribe: () => void;
  /** The CLI context made for the outputs it was made from (a `lib/` hot reload replaces them). */
  private cliContext: { readonly outputs: LocalApp['outputs']; readonly context: CliContext } | undefined;
  /** Contexts of earlier outputs: closed at stop, not at the reload, so a request still using one finishes. */
  private readonly retiredCliContexts: CliContext[] = [];

  private constructor(readonly sources: ConsoleSources) {
    this.clients = emulatorClients(sources.targets);
    this.tap = new EventTap(this.clients.kinesis, sources.app.streams);
    this.live = new LiveHub(this.tap, () => this.snapshot());
    this.pageBuild = (sources.buildPage ?? (() => buildConsole().then(() => undefined)))().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    this.unsubscribe = sources.onWrite((write) => {
      if (write === 'kinesis') this.tap.wake();
    });
  }

  /** The CLI's context on this local cloud (its outputs as they are now), for the code the console shares with the CLI (redrive, trace). */
  get cli(): CliContext {
    const { outputs } = this.sources.app;
    if (this.cliContext?.outputs !== outputs) {
      if (this.cliContext) this.retiredCliContexts.push(this.cliContext.context);
      this.cliContext = { outputs, context: localCliContext({ outputs }, this.sources.awsEndpoint) };
    }
    return this.cliContext.context;
  }

  /** Starts the tap (a reader on every shard from LATEST). */
  static async start(sources: ConsoleSources): Promise<ConsoleApi> {
    const api = new ConsoleApi(sources);
    try {
      await api.tap.start();
    } catch (error) {
      await api.stop();
      throw error;
    }
    return api;
  }

  async topology(): Promise<TopologyAnswer> {
    return topologyOf(this.sources.app, {
      invocations: this.sources.runner.invocationCounts(),
      inFlight: this.sources.runner.inFlight(),
      queues: await countQueues(this.clients.sqs, this.sources.app.queues),
      recordsOf: (stream) => this.tap.recordsOf(stream),
    });
  }

  /** The envelopes the tap kept that pass the query's filters, newest first. */
  events(query: URLSearchParams): EventsAnswer {
    const { filter, limit } = parseFeedQuery(query);
    const matching = this.tap.recent().filter((event) => matchesFeedFilter(event.envelope, filter));
    // The tap reads shard after shard: arrival time orders the shards' records among themselves (stable within a shard).
    return { events: matching.sort((a, b) => b.arrivedAt - a.arrivedAt).slice(0, limit) };
  }

  async consumers(queues?: LiveSnapshot['counts']['queues']): Promise<ConsumersAnswer> {
    const counts = queues ? new Map(queues.map((queue) => [queue.name, { visible: queue.visible, inFlight: queue.inFlight, delayed: 0 }])) : undefined;
    return consumersOf({
      app: this.sources.app,
      clients: this.clients,
      statuses: this.sources.streamStatus(),
      invocations: this.sources.runner.invocationCounts(),
      queues: counts ?? (await countQueues(this.clients.sqs, this.sources.app.queues)),
      tapLastSequence: (stream, shard) => this.tap.lastSequence(stream, shard),
      nowMs: Date.now(),
    });
  }

  /** What `live` sends every second: the topology's counts and the consumers, from one read of the queues. */
  async snapshot(): Promise<LiveSnapshot> {
    const counts = await this.topology();
    return { counts, consumers: await this.consumers(counts.queues) };
  }

  dlqs(): Promise<DlqsAnswer> {
    return listDlqs(this.cli);
  }

  redrive(name: string, body: Buffer): Promise<RedriveAnswer> {
    return redriveDlq(this.cli, name, parseRedriveRequest(body));
  }

  stream(streamId: string): Promise<StreamAnswer> {
    return streamView(this.clients.dynamo, { eventStore: this.cli.output('EventStoreTableName'), balances: this.cli.output('BalancesTableName') }, streamId);
  }

  /** Every hop of an event id or a trace id, from the same collector as `sluice trace`. */
  async trace(id: string): Promise<TraceAnswer> {
    const made = ulidTime(id);
    // An event id is a ULID made at the event's time: one from the future names nothing yet (and reading the stream AT_TIMESTAMP a future time is refused).
    if (made !== undefined && made > Date.now() + FUTURE_ID_TOLERANCE_MS) {
      throw notFound(`nothing carries the id ${id}: as a ULID it was made at ${new Date(Math.min(made, 8.64e15)).toISOString()}, in the future`);
    }
    try {
      return await collectTrace(this.cli, id);
    } catch (error) {
      if (error instanceof TraceNotFoundError) throw notFound(error.message);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.pageBuild;
    this.unsubscribe();
    this.live.stop();
    await this.tap.stop();
    this.clients.destroy();
    for (const context of [...this.retiredCliContexts, ...(this.cliContext ? [this.cliContext.context] : [])]) context.close();
  }
}
