/**
 * `GET /_sluice/settled`: the local cloud's "caught up" signal. Tests wait on it instead of
 * sleeping or polling a read model: it answers once every stream mapping has checkpointed its
 * source's tip, no invocation is in flight and every queue that is not a DLQ is empty.
 *
 * The checks read the emulators directly, not through the endpoint, so fault rules of
 * `/_sluice/chaos/faults` never hit (or get used up by) them.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION, type LocalApp, type LocalQueue } from './model';
import { DynamoDbStreamSource } from './mappings/dynamodb-stream-poller';
import { KinesisSource } from './mappings/kinesis-poller';
import type { IteratorPosition, StreamMappingStatus, StreamSource } from './mappings/shard-consumer';
import { SETTLED_PATH } from './endpoint';
import { parseSettledTimeout } from './settled-timeout';

export { SETTLED_PATH } from './endpoint';
export { DEFAULT_SETTLED_TIMEOUT_SECONDS, MAX_SETTLED_TIMEOUT_SECONDS, parseSettledTimeout, SettledRequestError } from './settled-timeout';
/** Re-check at least this often while waiting (an invocation ending re-checks sooner). */
const RECHECK_MS = 100;
/** Never re-check more often than this, however many invocations end. */
const MIN_CHECK_GAP_MS = 20;
/** Records read past a checkpoint to tell how far a shard is behind. */
const BEHIND_READ_LIMIT = 1000;

/** What is not settled yet, one item per mapping shard, function or queue. */
export type PendingItem =
  | {
      readonly kind: 'mapping';
      readonly mapping: string;
      readonly function: string;
      readonly shard: string;
      readonly behind: number;
      readonly inProgress: number;
      readonly checkpoint?: string;
    }
  | { readonly kind: 'invocation'; readonly function: string; readonly inFlight: number }
  | { readonly kind: 'queue'; readonly queue: string; readonly messages: number; readonly visible: number; readonly inFlight: number; readonly delayed: number }
  | { readonly kind: 'error'; readonly source: string; readonly message: string };

export type SettledAnswer =
  | { readonly settled: true; readonly waitedMs: number; readonly checks: number; readonly mappings: number; readonly queues: number }
  | { readonly settled: false; readonly waitedMs: number; readonly checks: number; readonly pending: readonly PendingItem[] };

/** What the probe watches: the runtime's mappings and Lambda runner. */
export interface SettledSources {
  /** The app as it runs: read on every check, so a getter can follow `lib/` hot reloads. */
  readonly app: LocalApp;
  /** Emulator base URLs (`http://127.0.0.1:<port>`), read directly. */
  readonly targets: Readonly<Record<'kinesis' | 'dynamodb' | 'sqs', string>>;
  streamStatus(): readonly StreamMappingStatus[];
  readonly runner: {
    inFlight(): Readonly<Record<string, number>>;
    readonly invocationsStarted: number;
    onInvocationEnd(listener: () => void): () => void;
  };
}

/**
 * The queues that must be empty to be settled: every queue of the app except the DLQs, that is
 * the queues another queue's RedrivePolicy or a stream mapping's on-failure destination targets
 * (found from the template, not from names).
 */
export function queuesToDrain(app: Pick<LocalApp, 'queues' | 'mappings'>): LocalQueue[] {
  const dlqs = deadLetterArns(app);
  return app.queues.filter((queue) => !dlqs.has(queue.arn));
}

/** The ARNs of the DLQs: what another queue's RedrivePolicy or a stream mapping's on-failure destination targets. */
export function deadLetterArns(app: Pick<LocalApp, 'queues' | 'mappings'>): Set<string> {
  const arns = new Set<string>();
  for (const queue of app.queues) if (queue.redrive) arns.add(queue.redrive.deadLetterTargetArn);
  for (const mapping of app.mappings) if (mapping.kind !== 'sqs' && mapping.onFailureArn) arns.add(mapping.onFailureArn);
  return arns;
}

/** Checks, and waits for, the settled state of one running local cloud. */
export class SettledProbe {
  private readonly kinesis: KinesisClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly sqs: SQSClient;

  constructor(private readonly sources: SettledSources) {
    const config = { region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    // kinesalite speaks HTTP/1.1 only; the Kinesis client's default handler is HTTP/2.
    this.kinesis = new KinesisClient({ ...config, endpoint: sources.targets.kinesis, requestHandler: new NodeHttpHandler() });
    this.streams = new DynamoDBStreamsClient({ ...config, endpoint: sources.targets.dynamodb });
    this.sqs = new SQSClient({ ...config, endpoint: sources.targets.sqs });
  }

  /** The queues to drain in the app as it runs now: a `lib/` hot reload may have added some (`sources.app` is read each time). */
  private queues(): LocalQueue[] {
    return queuesToDrain(this.sources.app);
  }

  /**
   * Everything not settled right now (empty: settled). With `quick`, the checks run cheapest first
   * and stop at the first that finds something: what the runtime knows in memory (invocations in
   * flight, records read and not checkpointed), then the queues (one request each), then the
   * streams' tips. So waiting costs the emulators little; the answer at the timeout is complete.
   */
  async pending(quick = false): Promise<PendingItem[]> {
    const startedBefore = this.sources.runner.invocationsStarted;
    const statuses = this.sources.streamStatus();
    const invocations = Object.entries(this.sources.runner.inFlight())
      .filter(([, inFlight]) => inFlight > 0)
      .map(([fn, inFlight]): PendingItem => ({ kind: 'invocation', function: fn, inFlight }));
    const inMemory = [
      ...invocations,
      ...statuses.flatMap((status) =>
        status.shards.filter((shard) => shard.unfinished > 0).map((shard) => mappingItem(status, shard.shardId, shard.unfinished, shard)),
      ),
    ];
    if (quick && inMemory.length > 0) return inMemory;
    const reads = new Map<string, Promise<unknown>>();
    const queuesPending = Promise.all(this.queues().map((queue) => this.queuePending(queue))).then((items) => items.flat());
    if (quick) {
      const queues = await queuesPending;
      if (queues.length > 0) return queues;
    }
    const [mappings, queues] = await Promise.all([
      Promise.all(statuses.map((status) => this.mappingPending(status, reads))),
      quick ? Promise.resolve([]) : queuesPending,
    ]);
    const pending = [...invocations, ...mappings.flat(), ...queues];
    // An invocation that started during the checks may have written where they already looked.
    if (pending.length === 0 && this.sources.runner.invocationsStarted !== startedBefore) {
      const fn = Object.keys(this.sources.runner.inFlight())[0] ?? 'unknown';
      return [{ kind: 'invocation', function: fn, inFlight: Math.max(1, this.sources.runner.inFlight()[fn] ?? 0) }];
    }
    return pending;
  }

  /**
   * Re-checks (after each invocation ends, and every 100 ms) until settled or `timeoutMs` passed.
   * `signal` ends the wait early (the client went away); the answer is then not settled.
   */
  async waitSettled(timeoutMs: number, signal?: AbortSignal): Promise<SettledAnswer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    for (let checks = 1; ; checks += 1) {
      const checkStarted = performance.now();
      const last = elapsed() >= timeoutMs || signal?.aborted === true;
      const pending = await this.pending(!last);
      if (pending.length === 0) {
        return { settled: true, waitedMs: elapsed(), checks, mappings: this.sources.streamStatus().length, queues: this.queues().length };
      }
      if (last) return { settled: false, waitedMs: elapsed(), checks, pending };
      await this.nextChange(Math.min(RECHECK_MS, timeoutMs - elapsed()), signal);
      const sinceCheck = performance.now() - checkStarted;
      if (sinceCheck < MIN_CHECK_GAP_MS) await delay(MIN_CHECK_GAP_MS - sinceCheck);
    }
  }

  close(): void {
    for (const client of [this.kinesis, this.streams, this.sqs]) client.destroy();
  }

  private nextChange(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      const unsubscribe = this.sources.runner.onInvocationEnd(done);
      signal?.addEventListener('abort', done);
    });
  }

  /**
   * The shards of one mapping that are behind their source's tip. `reads` shares the emulator
   * reads of one check between mappings of the same source at the same position.
   */
  private async mappingPending(status: StreamMappingStatus, reads: Map<string, Promise<unknown>>): Promise<PendingItem[]> {
    const { mapping } = status;
    const source: StreamSource = mapping.kind === 'kinesis' ? new KinesisSource(this.kinesis, mapping) : new DynamoDbStreamSource(this.streams, status.streamArn);
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      const fullKey = `${status.streamArn}|${key}`;
      if (!reads.has(fullKey)) reads.set(fullKey, read());
      return reads.get(fullKey) as Promise<T>;
    };
    try {
      const shards = await once('shards', () => source.listShards());
      const items = await Promise.all(
        shards.map(async ({ shardId }): Promise<PendingItem | undefined> => {
          const shard = status.shards.find((candidate) => candidate.shardId === shardId);
          const item = (behind: number) => mappingItem(status, shardId, behind, shard);
          if (shard && shard.unfinished > 0) return item(shard.unfinished);
          if (shard?.closed) return undefined;
          const position: IteratorPosition = shard?.checkpoint ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: shard.checkpoint } : status.initialPosition;
          // LATEST without a checkpoint: the mapping delivers only what arrives after its own
          // iterator, which the probe cannot reproduce; such a shard counts as caught up.
          if (position.type === 'LATEST' || (position.type === 'AT_TIMESTAMP' && source.kind === 'dynamodb')) return undefined;
          const behind = await once(`${shardId}|${JSON.stringify(position)}`, async () => {
            const iterator = await source.getIterator(shardId, position);
            return iterator === undefined ? 0 : (await source.getRecords(iterator, BEHIND_READ_LIMIT, shardId)).records.length;
          });
          return behind > 0 ? item(behind) : undefined;
        }),
      );
      return items.filter((entry): entry is PendingItem => entry !== undefined);
    } catch (error) {
      return [{ kind: 'error', source: `mapping ${mapping.logicalId}`, message: `${(error as Error).name}: ${(error as Error).message}` }];
    }
  }

  private async queuePending(queue: LocalQueue): Promise<PendingItem[]> {
    try {
      const { Attributes = {} } = await this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      const visible = Number(Attributes.ApproximateNumberOfMessages ?? 0);
      const inFlight = Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      const delayed = Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
      const messages = visible + inFlight + delayed;
      return messages > 0 ? [{ kind: 'queue', queue: queue.queueName, messages, visible, inFlight, delayed }] : [];
    } catch (error) {
      return [{ kind: 'error', source: `queue ${queue.queueName}`, message: `${(error as Error).name}: ${(error as Error).message}` }];
    }
  }
}

type ShardStatus = StreamMappingStatus['shards'][number];

function mappingItem(status: StreamMappingStatus, shardId: string, behind: number, shard: ShardStatus | undefined): PendingItem {
  return {
    kind: 'mapping',
    mapping: status.mapping.logicalId,
    function: status.mapping.functionName,
    shard: shardId,
    behind,
    inProgress: shard?.unfinished ?? 0,
    ...(shard?.checkpoint ? { checkpoint: shard.checkpoint } : {}),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Answers one `GET /_sluice/settled?timeout=<s>` request: 200 settled, 503 with what is pending at
 * the timeout, 400 for a bad `timeout`, 405 for another method.
 */
export async function answerSettled(probe: SettledProbe, method: string, url: URL, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  if (method.toUpperCase() !== 'GET') {
    return { status: 405, body: { error: 'method_not_allowed', message: `use GET on ${SETTLED_PATH} (got ${method})` } };
  }
  let seconds: number;
  try {
    seconds = parseSettledTimeout(url.searchParams.get('timeout'));
  } catch (error) {
    return { status: 400, body: { error: 'validation_failed', message: (error as Error).message } };
  }
  const answer = await probe.waitSettled(seconds * 1000, signal);
  return { status: answer.settled ? 200 : 503, body: answer };
}
