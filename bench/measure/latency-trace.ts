/**
 * Collects the times each hop of command → read model recorded, so the latency figure can be
 * split hop by hop (see `bench/lib/hops.ts`): the stream invocations the local Lambda runner ran
 * (with the event ids each carried), and, read back after the run, the DynamoDB stream records'
 * ApproximateCreationDateTime and the Kinesis records' ApproximateArrivalTimestamp.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { accountStreamId } from '../../lambdas/domain/accounts/account-service';
import type { InvokeOptions, InvokeOutcome, LambdaRunner } from '../../local/runtime';
import type { CommandTimeline } from '../lib/hops';

/** One invocation as the runner ran it: which events it carried, when it started and returned. */
export interface InvocationRecord {
  readonly functionName: string;
  readonly eventIds: readonly string[];
  /** For a command that appended: `streamId|version` of the event it stored. */
  readonly appendKey?: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The event ids a stream batch carries: `NEW_IMAGE.eventId` of DynamoDB stream records, the
 * envelope `id` of Kinesis records (base64 JSON). Anything else (API events, SQS) has none.
 */
export function eventIdsOf(event: unknown): string[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  const ids: string[] = [];
  for (const record of records as Array<Record<string, any>>) {
    const fromImage = record?.dynamodb?.NewImage?.eventId?.S;
    if (typeof fromImage === 'string') {
      ids.push(fromImage);
      continue;
    }
    const data = record?.kinesis?.data;
    if (typeof data !== 'string') continue;
    try {
      const id = (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id?: unknown }).id;
      if (typeof id === 'string') ids.push(id);
    } catch {
      // not JSON: not an envelope
    }
  }
  return ids;
}

/** `streamId|version` of the event a command stored, from its API answer (201 `{accountId, version}`); else undefined. */
export function appendKeyOf(outcome: InvokeOutcome): string | undefined {
  if (!outcome.ok) return undefined;
  const response = outcome.result as { statusCode?: unknown; body?: unknown } | null;
  if (response?.statusCode !== 201 || typeof response.body !== 'string') return undefined;
  try {
    const { accountId, version } = JSON.parse(response.body) as { accountId?: unknown; version?: unknown };
    return typeof accountId === 'string' && typeof version === 'number' ? `${accountStreamId(accountId)}|${version}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records, while attached, every stream invocation of `streamFunctions` (with the event ids it
 * carried) and every invocation of `commandFunction` that appended (with the event's key). The
 * runner has no per-invocation hook, so this wraps its `invoke` method on this one instance (the
 * API and every mapping call it through the instance); `detach()` puts the method back.
 */
export function recordInvocations(
  runner: LambdaRunner,
  streamFunctions: readonly string[],
  commandFunction?: string,
): { records: InvocationRecord[]; detach(): void } {
  const records: InvocationRecord[] = [];
  const watched = new Set(streamFunctions);
  const original = runner.invoke;
  runner.invoke = function recorded(this: LambdaRunner, functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    // Read before the call: the runner serializes the event and sends it to the sandbox before its first await.
    const startMs = Date.now();
    const outcome = original.call(this, functionName, event, options);
    const eventIds = watched.has(functionName) ? eventIdsOf(event) : [];
    if (eventIds.length === 0 && functionName !== commandFunction) return outcome;
    outcome.then(
      (result) => {
        const appendKey = functionName === commandFunction ? appendKeyOf(result) : undefined;
        if (eventIds.length > 0 || appendKey) records.push({ functionName, eventIds, ...(appendKey ? { appendKey } : {}), startMs, endMs: Date.now() });
      },
      () => undefined,
    );
    return outcome;
  };
  return {
    records,
    detach: () => {
      runner.invoke = original;
    },
  };
}

/** The first invocation of `functionName` that carried each event id (a retry keeps the first). */
export function firstInvocationByEvent(records: readonly InvocationRecord[], functionName: string): Map<string, InvocationRecord> {
  const byEvent = new Map<string, InvocationRecord>();
  for (const record of [...records].sort((a, b) => a.startMs - b.startMs)) {
    if (record.functionName !== functionName) continue;
    for (const id of record.eventIds) if (!byEvent.has(id)) byEvent.set(id, record);
  }
  return byEvent;
}

export interface StoredEventTimes {
  /** `streamId|version` → event id (the command answers with the version, not the id). */
  readonly eventIdByKey: Map<string, string>;
  /** Event id → ApproximateCreationDateTime in epoch ms. */
  readonly createdMs: Map<string, number>;
}

/** Reads the event store's stream from its beginning: which event each version is, and when its record was created. */
export async function readStoreStream(client: DynamoDBStreamsClient, streamArn: string): Promise<StoredEventTimes> {
  const eventIdByKey = new Map<string, string>();
  const createdMs = new Map<string, number>();
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (await client.send(new GetStreamIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;
    for (let page = 0; iterator && page < 1000; page++) {
      const response = await client.send(new GetStreamRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of response.Records ?? []) {
        const image = record.dynamodb?.NewImage;
        const id = image?.eventId?.S;
        if (!id || !image?.streamId?.S || !image.version?.N) continue;
        eventIdByKey.set(`${image.streamId.S}|${image.version.N}`, id);
        const created = record.dynamodb?.ApproximateCreationDateTime;
        if (created) createdMs.set(id, created.getTime());
      }
      if ((response.Records ?? []).length === 0) break; // an open shard's iterator never ends
      iterator = response.NextShardIterator;
    }
  }
  return { eventIdByKey, createdMs };
}

/** Reads a Kinesis stream from its beginning: envelope id → ApproximateArrivalTimestamp (epoch ms). */
export async function readArrivals(kinesis: KinesisClient, streamName: string): Promise<Map<string, number>> {
  const arrivals = new Map<string, number>();
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  for (const shard of Shards) {
    let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;
    for (let page = 0; iterator && page < 1000; page++) {
      const response = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of response.Records ?? []) {
        try {
          const id = (JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8')) as { id?: unknown }).id;
          if (typeof id === 'string' && record.ApproximateArrivalTimestamp) arrivals.set(id, record.ApproximateArrivalTimestamp.getTime());
        } catch {
          // not an envelope
        }
      }
      if ((response.Records ?? []).length === 0 || response.MillisBehindLatest === 0) break;
      iterator = response.NextShardIterator;
    }
  }
  return arrivals;
}

/** What the client itself saw of one command. */
export interface ClientSample {
  readonly streamId: string;
  readonly version: number;
  readonly postSent: number;
  readonly postReturned: number;
  readonly visible: number;
}

/** Where each command's invocation ended, by the `streamId|version` it appended. */
export function appendsByKey(records: readonly InvocationRecord[]): Map<string, InvocationRecord> {
  return new Map(records.filter((record) => record.appendKey).map((record) => [record.appendKey!, record]));
}

/** Whether epoch-ms times carry milliseconds (AWS rounds ApproximateCreationDateTime down to the second). */
export function hasMillisecondResolution(times: Iterable<number>): boolean {
  for (const time of times) if (time % 1000 !== 0) return true;
  return false;
}

export interface TraceSources {
  readonly store: StoredEventTimes;
  /** The command invocations by `streamId|version`: their end is the append (the command answers right after it). */
  readonly commands: ReadonlyMap<string, InvocationRecord>;
  readonly arrivals: ReadonlyMap<string, number>;
  readonly relay: ReadonlyMap<string, InvocationRecord>;
  readonly projector: ReadonlyMap<string, InvocationRecord>;
}

/**
 * Joins the client's samples with the times the pipeline recorded, by event id. The append is the
 * end of the command's invocation; without it, the stream record's creation time if it has
 * millisecond resolution (a whole second would move the first two hops by up to a second).
 */
export function buildTimelines(samples: readonly ClientSample[], sources: TraceSources): CommandTimeline[] {
  const precise = hasMillisecondResolution(sources.store.createdMs.values());
  return samples.map((sample) => {
    const key = `${sample.streamId}|${sample.version}`;
    const id = sources.store.eventIdByKey.get(key);
    const timeline: { -readonly [K in keyof CommandTimeline]: CommandTimeline[K] } = {
      postSent: sample.postSent,
      postReturned: sample.postReturned,
      visible: sample.visible,
    };
    timeline.appended = sources.commands.get(key)?.endMs ?? (precise && id !== undefined ? sources.store.createdMs.get(id) : undefined);
    if (id === undefined) return timeline;
    timeline.relayInvoked = sources.relay.get(id)?.startMs;
    timeline.kinesisArrived = sources.arrivals.get(id);
    timeline.projectorInvoked = sources.projector.get(id)?.startMs;
    timeline.projectorDone = sources.projector.get(id)?.endMs;
    return timeline;
  });
}
