import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ACCOUNT_STATE_CHANGED_TYPE, accountStateChangedV1Schema, type AccountStateChangedV1 } from '../domain/accounts';
import { sluiceCatalog } from '../domain/catalog';
import { type DeadLetterPort, decodeSqsEnvelope, divertPoison, InvalidEventRecordError, mapWithConcurrency, sqsDeadLetter } from '../shared/batch';
import { getDocumentClient } from '../shared/document-client';
import { requireEnv } from '../shared/config';
import { logger, withObservability } from '../shared/observability';
import { correlationKeys } from '../shared/trace-context';
import { sentAt, traceparentOfMessage } from '../shared/sqs/trace-attributes';
import { deadLetterQueueFromEnv } from '../shared/sqs';
import { DynamoDbReplicaStore } from './dynamodb-replica-store';
import type { ReplicaStore } from './replica-row';
import { REPLICA_ENV } from './environment';

/** What the replica needs: its table and a clock for `replicatedAt`. */
export interface ReplicaDeps {
  readonly store: ReplicaStore;
  readonly clock: () => Date;
  /** The state-transfer queue's DLQ (FIFO), for messages that are not state-changed events. */
  readonly deadLetters?: DeadLetterPort;
}

let deps: ReplicaDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): ReplicaDeps {
  deps ??= {
    store: new DynamoDbReplicaStore(getDocumentClient(), requireEnv(REPLICA_ENV.replicaTableName)),
    clock: () => new Date(),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/**
 * The account state carried by a state-transfer message.
 *
 * @throws {PoisonRecordError} for anything but a valid `sluice.account.state-changed.v1` envelope.
 */
export function parseStateChanged(record: SQSRecord): AccountStateChangedV1 {
  const envelope = decodeSqsEnvelope(record, sluiceCatalog);
  if (envelope.type !== ACCOUNT_STATE_CHANGED_TYPE) {
    throw new InvalidEventRecordError('unexpected_event_type', record.messageId, `expected a ${ACCOUNT_STATE_CHANGED_TYPE} event, got ${envelope.type}`);
  }
  // The catalog has validated the data; parsing with the type's own schema gives it its type.
  return accountStateChangedV1Schema.parse(envelope.data);
}

/** Accounts (message groups) of one batch written at once. */
export const REPLICA_CONCURRENCY = 10;

/**
 * The replica: SQS FIFO state-transfer queue → replica table, newer version wins.
 *
 * A batch is grouped by message group (the account). Since only the newest state of an account
 * matters, each group costs one conditional put, of its highest version; a message whose version
 * the replica already has (a redelivery) or has passed (a late one) is acknowledged without
 * writing. A failed put fails the group's messages, and only that group's, so they are retried in
 * order ("your function should stop processing messages after the first failure and return all
 * failed and unprocessed messages"); other accounts carry on, in parallel
 * ({@link REPLICA_CONCURRENCY}). A message that is not a valid state-changed event is moved to the
 * DLQ (reason in message attributes, same group) and acknowledged, so it cannot hold its group back.
 *
 * @example
 * await createReplicaHandler({ store: fakeStore, clock })(sqsEvent) // { batchItemFailures: [] }
 */
export function createReplicaHandler(replicaDeps: ReplicaDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const dlq = replicaDeps.deadLetters && { consumer: 'replica', queue: replicaDeps.deadLetters, clock: replicaDeps.clock };
  /** The group's messages that must come again (failed or not reached), in order. */
  const replicateGroup = async (messages: readonly SQSRecord[]): Promise<SQSRecord[]> => {
    const written: SQSRecord[] = [];
    let newest: AccountStateChangedV1 | undefined;
    let newestRecord: SQSRecord | undefined;
    for (const [position, record] of messages.entries()) {
      try {
        const state = parseStateChanged(record);
        written.push(record);
        if (!newest || state.version > newest.version) {
          newest = state;
          newestRecord = record;
        }
      } catch (error) {
        if (await divertPoison(dlq, error, (reason, failedAt) => sqsDeadLetter(record, reason, error, 'replica', failedAt), logger)) continue;
        logger.error('state-transfer message failed; it and the rest of its group will be retried', {
          ...correlationKeys(traceparentOfMessage(record)),
          messageId: record.messageId,
          error: error as Error,
        });
        const unreached = messages.slice(position);
        return [...(await writeNewest(newest, written, newestRecord)), ...unreached];
      }
    }
    return writeNewest(newest, written, newestRecord);
  };
  /** Puts the newest state (with the trace and send time of the message that carried it); on failure every message it stood for comes again. */
  const writeNewest = async (newest: AccountStateChangedV1 | undefined, covered: SQSRecord[], carrier: SQSRecord | undefined): Promise<SQSRecord[]> => {
    if (!newest || !carrier) return [];
    const traceparent = traceparentOfMessage(carrier);
    const queuedAt = sentAt(carrier);
    const keys = { ...correlationKeys(traceparent), accountId: newest.accountId, version: newest.version };
    try {
      const outcome = await replicaDeps.store.putIfNewer({
        ...newest,
        replicatedAt: replicaDeps.clock().toISOString(),
        ...(traceparent ? { traceparent } : {}),
        ...(queuedAt ? { queuedAt } : {}),
      });
      if (outcome === 'stale') logger.debug('replica already has this version or a newer one', keys);
      return [];
    } catch (error) {
      logger.error("replica write failed; the account's messages will be retried", { ...keys, error: error as Error });
      return covered;
    }
  };

  return async (event) => {
    const groups = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const key = record.attributes.MessageGroupId ?? record.messageId;
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    const failed = (await mapWithConcurrency([...groups.values()], REPLICA_CONCURRENCY, replicateGroup)).flat();
    const order = new Map(event.Records.map((record, index) => [record.messageId, index]));
    failed.sort((x, y) => order.get(x.messageId)! - order.get(y.messageId)!);
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
  };
}

/** Lambda entry point. */
export const handler = withObservability((event: SQSEvent, context) => createReplicaHandler(defaultDeps())(event, context));
