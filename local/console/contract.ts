/**
 * The contract between the live console's page (`local/console/ui/`) and the local endpoint's
 * console routes (`local/console/api/`): the routes and the JSON each answers. Both sides import
 * these types, so a change to one shape is a compile error on the other side.
 *
 * Every route is a local tool (loopback only, refused to cross-site browser requests) and answers
 * a refused input with a 4xx `{error, message}`.
 *
 * @example
 * ```ts
 * const topology = (await (await fetch(CONSOLE_ROUTES.topology)).json()) as TopologyAnswer;
 * ```
 */

/** Where each console route lives on the local AWS endpoint (`http://localhost:4566`). */
export const CONSOLE_ROUTES = {
  /** GET: the page (HTML). */
  page: '/_sluice/console',
  /** GET `<prefix><file>`: the bundled script and stylesheet the page loads (no CDN). */
  assets: '/_sluice/console/assets/',
  /** GET: {@link TopologyAnswer}. */
  topology: '/_sluice/console/api/topology',
  /** GET `?type&subject&account&trace&limit`: {@link EventsAnswer}, newest first. */
  events: '/_sluice/console/api/events',
  /** GET: Server-Sent Events, see {@link LiveEventName}. */
  live: '/_sluice/console/api/live',
  /** GET `<prefix><eventId|traceId>`: {@link TraceAnswer}; 404 `{error, message}` when nothing carries that id. */
  trace: '/_sluice/console/api/trace/',
  /** GET: {@link ConsumersAnswer}. */
  consumers: '/_sluice/console/api/consumers',
  /** GET: {@link DlqsAnswer}. */
  dlqs: '/_sluice/console/api/dlqs',
  /** POST `<prefix><dlq name>/redrive` with {@link RedriveRequest}: {@link RedriveAnswer}. */
  dlq: '/_sluice/console/api/dlqs/',
  /** GET `<prefix><streamId>`: {@link StreamAnswer}. */
  stream: '/_sluice/console/api/streams/',
  /** The existing fault-injection API (GET list, POST add, DELETE `/<id>` remove), used as it is. */
  chaos: '/_sluice/chaos/faults',
} as const;

/** Live counts for one function of the template. */
export interface FunctionNode {
  /** Physical name, as the SDK and the CLI see it. */
  name: string;
  logicalId: string;
  invocations: number;
  errors: number;
  inFlight: number;
}

/** One Kinesis stream with its shards and the records appended since the cloud started. */
export interface StreamNode {
  name: string;
  shards: number;
  records: number;
}

/** One SQS queue; `isDlq` is true when another queue or a mapping dead-letters into it. */
export interface QueueNode {
  name: string;
  url: string;
  fifo: boolean;
  isDlq: boolean;
  visible: number;
  inFlight: number;
}

/** One DynamoDB table; `items` is undefined when counting would be too costly. */
export interface TableNode {
  name: string;
  logicalId: string;
  items?: number;
}

/** One event source mapping: an edge from a stream, table stream or queue to a function. */
export interface MappingEdge {
  id: string;
  functionName: string;
  sourceKind: 'kinesis' | 'dynamodb' | 'sqs';
  sourceName: string;
  /** What a dead letter of this mapping lands in, if anything. */
  onFailure?: string;
  enabled: boolean;
}

/** `GET topology`: what the synthesized templates declare, with live counts. */
export interface TopologyAnswer {
  functions: FunctionNode[];
  streams: StreamNode[];
  queues: QueueNode[];
  tables: TableNode[];
  mappings: MappingEdge[];
}

/** One envelope seen on the events stream, as the feed shows it. */
export interface FeedEvent {
  /** The CloudEvents envelope as it was put on the stream (with `traceparent`). */
  envelope: Record<string, unknown> & { id: string; type: string; subject?: string; traceparent?: string };
  streamName: string;
  shardId: string;
  sequenceNumber: string;
  /** When the record reached the stream (epoch ms). */
  arrivedAt: number;
}

/** `GET events`: the most recent envelopes that match the filters, newest first. */
export interface EventsAnswer {
  events: FeedEvent[];
}

/** The filters the feed, `GET events` and `sluice tail` share; every given filter must match. */
export interface FeedFilter {
  type?: string;
  subject?: string;
  account?: string;
  /** A trace id (32 hex) or a whole `traceparent`. */
  trace?: string;
}

/** One hop of an event's path, as `sluice trace --json` prints it too. */
export interface TraceHop {
  /** What happened: `api`, `append`, `relay`, `stream`, `projector`, `notifier`, `queue`, `worker`, `state-transfer`, `replica`, … */
  hop: string;
  /** When (ISO 8601). */
  at: string;
  /** Milliseconds since the previous hop; null for the first. */
  latencyMs: number | null;
  /** Where the timestamp was read (the store, the stream, the read model, a log line…). */
  source: string;
  detail?: string;
}

/** `GET trace/<id>`: every hop found for an event id or a trace id. */
export interface TraceAnswer {
  id: string;
  traceId?: string;
  eventIds: string[];
  hops: TraceHop[];
}

/** Per-shard (or per-queue) progress of one mapping. */
export interface ConsumerPosition {
  /** Shard id for streams, the queue name for SQS. */
  partition: string;
  checkpoint?: string;
  recordsBehind: number;
  millisBehind: number;
}

/** `GET consumers`: how far behind each mapping is, with its invocation counts. */
export interface ConsumersAnswer {
  consumers: Array<{
    mappingId: string;
    functionName: string;
    sourceName: string;
    positions: ConsumerPosition[];
    recordsBehind: number;
    millisBehind: number;
    invocations: number;
    errors: number;
  }>;
}

/** One message waiting in a DLQ, with why it got there. */
export interface DeadLetter {
  messageId: string;
  /** The reason recorded with the dead letter (error type and message, or the mapping's failure condition). */
  reason: string;
  body: string;
  attributes: Record<string, string>;
}

/** `GET dlqs`: every DLQ with its contents (peeked, not consumed). */
export interface DlqsAnswer {
  dlqs: Array<{
    /** The name `sluice redrive <name>` takes. */
    name: string;
    url: string;
    count: number;
    messages: DeadLetter[];
  }>;
}

/** `POST dlqs/<name>/redrive` body. */
export interface RedriveRequest {
  dryRun: boolean;
}

/** What the redrive did, from the same code as `sluice redrive`. */
export interface RedriveAnswer {
  name: string;
  dryRun: boolean;
  /** Messages moved (or that would move, on a dry run). */
  moved: number;
  /** Messages left in the DLQ, with why. */
  skipped: Array<{ messageId: string; reason: string }>;
}

/** `GET streams/<streamId>`: one event-store stream, folded and compared with its read model row. */
export interface StreamAnswer {
  streamId: string;
  events: Array<{ version: number; eventId: string; type: string; time: string; data: unknown; traceparent?: string }>;
  /** The fold of the events (the account state), or null when it does not fold. */
  folded: Record<string, unknown> | null;
  foldError?: string;
  readModel: Record<string, unknown> | null;
  /** True when the folded state and the read model row agree on balance and version. */
  matches: boolean;
  differences: string[];
}

/** The Server-Sent Events `GET live` sends: `feed` carries a {@link FeedEvent}, `counts` a {@link TopologyAnswer}, `consumers` a {@link ConsumersAnswer}. */
export type LiveEventName = 'feed' | 'counts' | 'consumers';
