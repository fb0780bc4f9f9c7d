import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ACCOUNT_STATE_CHANGED_TYPE, accountStateChangedV1Schema, type AccountStateChangedV1 } from '../domain/accounts';
import { sluiceCatalog } from '../domain/catalog';
import { type DeadLetterPort, decodeSqsEnvelope, divertPoison, InvalidEventRecordError, sqsDeadLetter } from '../shared/batch';
import { getDocumentClient } from '../shared/clients';
import { requireEnv } from '../shared/config';
import { logger, withObservability } from '../shared/observability';
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

/**
 * The replica: SQS FIFO state-transfer queue → replica table, newer version wins.
 *
 * A message whose version the replica already has (a redelivery) or has passed (a late one) is
 * acknowledged without writing. A failure stops the rest of that account's messages in the batch
 * (`skipGroupOnError`), so they are retried in order; other accounts carry on. A message that is
 * not a valid state-changed event is moved to the DLQ (reason in message attributes, same group)
 * and acknowledged, so it cannot hold its group back.
 *
 * @example
 * await createReplicaHandler({ store: fakeStore, clock })(sqsEvent) // { batchItemFailures: [] }
 */
export function createReplicaHandler(replicaDeps: ReplicaDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  return (event, context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        let state: AccountStateChangedV1;
        try {
          state = parseStateChanged(record);
        } catch (error) {
          const dlq = replicaDeps.deadLetters && { consumer: 'replica', queue: replicaDeps.deadLetters, clock: replicaDeps.clock };
          if (await divertPoison(dlq, error, (reason, failedAt) => sqsDeadLetter(record, reason, error, 'replica', failedAt), logger)) return;
          throw error;
        }
        const outcome = await replicaDeps.store.putIfNewer({ ...state, replicatedAt: replicaDeps.clock().toISOString() });
        if (outcome === 'stale') logger.debug('replica already has this version or a newer one', { accountId: state.accountId, version: state.version });
      },
      new SqsFifoPartialProcessorAsync(),
      { context, skipGroupOnError: true },
    );
}

/** Lambda entry point. */
export const handler = withObservability((event: SQSEvent, context) => createReplicaHandler(defaultDeps())(event, context));
