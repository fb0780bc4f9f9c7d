/**
 * The floor under command → read model on this endpoint: the round trips no implementation of the
 * path can skip, timed one after the other as one chain, with the same number of chains in flight
 * as the latency measurement has commands. A chain has two parts.
 *
 * The command (the floor of the "API → append" hop, which starts when the client sends the POST):
 *
 *   POST /accounts/{id}/deposits through the API emulator to the command λ and back (the function
 *     refuses it before any read: an over-long Idempotency-Key is its own 400, the gateway does not
 *     check that header; so the step is the gateway, one invocation and the answer, no DynamoDB)
 *   → DynamoDB Query, consistent, one item (the account read: a command decides on the current
 *     state, no overdraft, `expectedVersion`, and must know the version it appends after; the
 *     snapshot and the events are read in parallel, so one round trip)
 *   → DynamoDB conditional PutItem on a new key (the append)
 *
 * Not in it: the Idempotency-Key record's writes (only with a key, and the latency commands send
 * none), the snapshot save (one command in `SNAPSHOT_EVERY`), the log lines.
 *
 * The pipeline after the append (the floor of the latency figure, which starts when the POST has
 * answered, so after the command's own round trips: adding them to it would pad it):
 *
 *   DynamoDB Streams GetRecords (the relay's poll that finds the record)
 *   → invoke the outbox relay (an empty batch: the runner's invocation cost, no work)
 *   → Kinesis PutRecords (the relay's publish)
 *   → Kinesis GetRecords (the projector's poll that finds it, over the pollers' own client)
 *   → invoke the projector (an empty batch)
 *   → DynamoDB TransactWriteItems of two puts: the balance row guarded by its version and one
 *     transaction row (the one read-model write per account per batch that issue 14 prescribes:
 *     "the balance row guarded by its version, plus the transaction rows"; both rows must land
 *     together, and one TransactWriteItems is the only single round trip that writes two items
 *     atomically with a condition)
 *   → GET /accounts/{id} (the query that sees it: API emulator → query λ → GetItem)
 *
 * No poll interval, no batching window and no domain work is in it: the sum is what the emulators,
 * the endpoint and the Lambda runner cost at the load of the moment. Not in it: the projector's
 * ConditionChecks of the delivered events against the event store (sluice's own trust choice, not
 * a round trip every implementation needs; they ride in the same call, so they cost items, not a trip).
 *
 * Until 2026-11-30 the write step was one unconditional PutItem of one item, which no implementation
 * of the prescribed read model can do (it writes two rows, one of them guarded); that PutItem is
 * still timed in each chain, after the GET, and reported beside the floor ({@link REFERENCE_STEPS}),
 * but it is not in the sum.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LambdaRunner } from '../../local/runtime';
import { api, type BenchClients, type BenchTarget, createBenchStream, createBenchTable, deleteBenchStream, deleteBenchTable } from '../lib/aws';
import { summarize } from '../lib/stats';
import { now, pool } from '../lib/util';

export const FLOOR_STEPS = [
  'DynamoDB Streams GetRecords',
  'invoke outbox relay (empty batch)',
  'Kinesis PutRecords',
  'Kinesis GetRecords',
  'invoke projector (empty batch)',
  'DynamoDB TransactWriteItems (guarded balance row + transaction row)',
  'GET /accounts/{id}',
] as const;

/** Steps timed in every chain for comparison, outside the sum: the write step the floor had before (one PutItem). */
export const REFERENCE_STEPS = ['DynamoDB PutItem (the earlier write step, not summed)'] as const;

/** The write step's two puts for a worker's `n`-th chain: its balance row guarded by the version its last chain wrote, and a new transaction row. */
export function floorWriteItems(table: string, worker: number, n: number, previousVersion: number) {
  const first = previousVersion === 0;
  return [
    { Put: { TableName: table, Item: { pk: `w${worker}-txn-${n}`, version: n, amount: 100, balanceAfter: n * 100 } } },
    {
      Put: {
        TableName: table,
        Item: { pk: `w${worker}-balance`, version: n, balance: n * 100 },
        ConditionExpression: first ? 'attribute_not_exists(pk)' : '#version = :previous',
        ...(first ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': previousVersion } }),
      },
    },
  ];
}

/** A chain's timed steps (command steps, then pipeline steps, then reference steps) → the two sums; reference steps are in neither. */
export function chainSums(timed: readonly number[]): { command: number; pipeline: number } {
  const sum = (values: readonly number[]) => values.reduce((total, ms) => total + ms, 0);
  const commandEnd = COMMAND_FLOOR_STEPS.length;
  return { command: sum(timed.slice(0, commandEnd)), pipeline: sum(timed.slice(commandEnd, commandEnd + FLOOR_STEPS.length)) };
}

/** The command's own round trips, before the pipeline's (see the top of this file for why each is unavoidable). */
export const COMMAND_FLOOR_STEPS = [
  'POST deposits → command λ (refused before any read)',
  'DynamoDB Query (the account read)',
  'DynamoDB conditional PutItem (the append)',
] as const;

export interface FloorResult {
  /** One sum of the pipeline's steps per chain, in ms: the floor of the latency figure. */
  readonly chainsMs: number[];
  /** p50 of each pipeline step, in ms, in chain order. */
  readonly stepP50Ms: Record<(typeof FLOOR_STEPS)[number], number>;
  /** p50 of each reference step (timed in the chains, not in their sums), in ms. */
  readonly referenceStepP50Ms: Record<(typeof REFERENCE_STEPS)[number], number>;
  /** One sum of the command's steps per chain, in ms: the floor of the "API → append" hop. */
  readonly commandChainsMs: number[];
  /** p50 of each command step, in ms, in chain order. */
  readonly commandStepP50Ms: Record<(typeof COMMAND_FLOOR_STEPS)[number], number>;
}

export interface FloorDeps {
  readonly target: BenchTarget;
  readonly clients: BenchClients;
  readonly streams: DynamoDBStreamsClient;
  /** The Kinesis client the mappings' pollers read with (`pollerKinesisClient`): the GetRecords step is their read. */
  readonly pollerKinesis: KinesisClient;
  readonly runner: LambdaRunner;
  /** The event store's stream ARN, and the relay's and projector's physical names. */
  readonly storeStreamArn: string;
  readonly relayFunction: string;
  readonly projectorFunction: string;
  /** An account the read model already shows (the GET must find it). */
  readonly accountId: string;
}

/** Runs `chains` chains, `concurrency` at a time, after a few unrecorded ones to warm up. */
export async function measureLatencyFloor(deps: FloorDeps, runId: string, chains = 100, concurrency = 4): Promise<FloorResult> {
  const streamName = `sluice-bench-${runId}-floor`;
  const table = `sluice-bench-${runId}-floor`;
  await createBenchStream(deps.clients.kinesis, streamName, 1);
  await createBenchTable(deps.clients.dynamo, table, [{ name: 'pk', type: 'S', key: 'HASH' }]);
  try {
    const allSteps = [...COMMAND_FLOOR_STEPS, ...FLOOR_STEPS, ...REFERENCE_STEPS];
    const steps = new Map<string, number[]>(allSteps.map((step) => [step, []]));
    const chainsMs: number[] = [];
    const commandChainsMs: number[] = [];
    await pool(concurrency, concurrency, async (worker) => {
      const chain = await chainRunner(deps, streamName, table, worker);
      for (let i = 0; i < 5; i++) await chain(); // warm-up
      for (let i = worker; i < chains; i += concurrency) {
        const timed = await chain();
        const sums = chainSums(timed);
        commandChainsMs.push(sums.command);
        chainsMs.push(sums.pipeline);
        timed.forEach((ms, k) => steps.get(allSteps[k])!.push(ms));
      }
    });
    const p50s = <S extends string>(names: readonly S[]) => Object.fromEntries(names.map((step) => [step, summarize(steps.get(step)!).p50])) as Record<S, number>;
    return {
      chainsMs,
      stepP50Ms: p50s(FLOOR_STEPS),
      referenceStepP50Ms: p50s(REFERENCE_STEPS),
      commandChainsMs,
      commandStepP50Ms: p50s(COMMAND_FLOOR_STEPS),
    };
  } finally {
    await deleteBenchStream(deps.clients.kinesis, streamName);
    await deleteBenchTable(deps.clients.dynamo, table);
  }
}

/** One worker's chain: holds its own shard iterators, as a poller does, so no step pays for a new one. */
async function chainRunner(deps: FloorDeps, streamName: string, table: string, worker: number): Promise<() => Promise<number[]>> {
  const { clients, streams } = deps;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: deps.storeStreamArn }));
  const shards = StreamDescription?.Shards ?? [];
  const openShard = shards.find((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber) ?? shards[shards.length - 1];
  let storeIterator = (
    await streams.send(new GetStreamIteratorCommand({ StreamArn: deps.storeStreamArn, ShardId: openShard!.ShardId!, ShardIteratorType: 'LATEST' }))
  ).ShardIterator;
  const { Shards = [] } = await clients.kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  let kinesisIterator = (
    await deps.pollerKinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: Shards[0].ShardId!, ShardIteratorType: 'LATEST' }))
  ).ShardIterator;
  // The account item the command step reads (a Query that finds an item, as a command's does).
  await clients.doc.send(new PutCommand({ TableName: table, Item: { pk: `w${worker}`, version: 0 } }));
  let n = 0;
  let balanceVersion = 0;
  const timed = async (run: () => Promise<unknown>) => {
    const t0 = now();
    await run();
    return now() - t0;
  };
  // Over 255 characters: the command λ's own header check refuses it (400) before it reads anything.
  const refusedKey = 'k'.repeat(256);
  return async () => {
    n++;
    return [
      await timed(async () => {
        const { status } = await api(deps.target, 'POST', `/accounts/${deps.accountId}/deposits`, { amount: 1 }, { 'Idempotency-Key': refusedKey });
        if (status !== 400) throw new Error(`POST deposits with an over-long Idempotency-Key answered ${status} in the floor chain, not the function's own 400`);
      }),
      await timed(() =>
        clients.doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `w${worker}` },
            ConsistentRead: true,
            Limit: 1,
          }),
        ),
      ),
      await timed(() =>
        clients.doc.send(new PutCommand({ TableName: table, Item: { pk: `w${worker}-e${n}`, version: n }, ConditionExpression: 'attribute_not_exists(pk)' })),
      ),
      await timed(async () => {
        storeIterator = (await streams.send(new GetStreamRecordsCommand({ ShardIterator: storeIterator, Limit: 100 }))).NextShardIterator ?? storeIterator;
      }),
      await timed(() => deps.runner.invoke(deps.relayFunction, { Records: [] })),
      await timed(() =>
        clients.kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: [{ PartitionKey: `w${worker}`, Data: Buffer.from(`{"floor":${n}}`) }] })),
      ),
      await timed(async () => {
        kinesisIterator =
          (await deps.pollerKinesis.send(new GetRecordsCommand({ ShardIterator: kinesisIterator, Limit: 100 }))).NextShardIterator ?? kinesisIterator;
      }),
      await timed(() => deps.runner.invoke(deps.projectorFunction, { Records: [] })),
      await timed(async () => {
        await clients.doc.send(new TransactWriteCommand({ TransactItems: floorWriteItems(table, worker, n, balanceVersion) }));
        balanceVersion = n;
      }),
      await timed(async () => {
        const { status } = await api(deps.target, 'GET', `/accounts/${deps.accountId}`);
        if (status !== 200) throw new Error(`GET /accounts/${deps.accountId} answered ${status} in the floor chain`);
      }),
      // Reference, outside the sum (see REFERENCE_STEPS).
      await timed(() => clients.doc.send(new PutCommand({ TableName: table, Item: { pk: `w${worker}-${n % 10}`, version: n, balance: n * 100 } }))),
    ];
  };
}
