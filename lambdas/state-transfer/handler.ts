import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { isAccountEventType, type AccountReadDeps } from '../domain/accounts';
import { sluiceCatalog } from '../domain/catalog';
import { accountAtEvent, stateChangedEvent, stateChangedMessageKeys } from '../domain/integration';
import { createKinesisBulkHandler, type DeadLetterPort } from '../shared/batch';
import { getSqsClient } from '../shared/clients';
import { getDocumentClient } from '../shared/document-client';
import { requireEnv } from '../shared/config';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../shared/event-store/dynamodb-snapshot-store';
import { logger, metrics, withObservability } from '../shared/observability';
import { deadLetterQueueFromEnv, SdkSendMessageBatchAdapter, sendMessages, type OutgoingMessage, type SendMessageBatchPort } from '../shared/sqs';
import { STATE_TRANSFER_ENV } from './environment';
import { traceAttributes } from '../shared/sqs/trace-attributes';
import { batchReadDeps } from '../adapters/accounts/batch-read-deps';
import type { StoredEventBatchReader } from '../adapters/accounts/prefetched-events';

/** What state transfer needs: the event store and the FIFO state-transfer queue. */
export interface StateTransferDeps extends AccountReadDeps {
  readonly stateTransferQueue: SendMessageBatchPort;
  /**
   * Reads the batch's stored counterparts in one round of calls instead of one read per event
   * (see `batchReadDeps`); without it each event's trust check reads the store on its own.
   */
  readonly storedEvents?: StoredEventBatchReader;
  /** The consumer's DLQ for poison records. */
  readonly deadLetters?: DeadLetterPort;
}

let deps: StateTransferDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): StateTransferDeps {
  if (deps) return deps;
  const client = getDocumentClient();
  const eventStore = new DynamoDbEventStore(client, requireEnv(STATE_TRANSFER_ENV.eventStoreTableName));
  deps = {
    eventStore,
    storedEvents: eventStore,
    snapshotStore: new DynamoDbSnapshotStore(client, requireEnv(STATE_TRANSFER_ENV.snapshotTableName)),
    stateTransferQueue: new SdkSendMessageBatchAdapter(getSqsClient(), requireEnv(STATE_TRANSFER_ENV.queueUrl)),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/**
 * State transfer: Event-Carried State Transfer. For each account event, the full account state
 * as of that event is sent to the FIFO queue as a `sluice.account.state-changed.v1` envelope.
 *
 * The batch's account reads are shared (`batchReadDeps`): its events' stored counterparts are
 * read in one round of calls, and each account's snapshot and history once, not three reads per event.
 *
 * Group = accountId keeps one account's states in order; dedup id = `accountId#version` (and an
 * id derived from the source event) makes a retried record a no-op for the queue and the replica.
 *
 * @example
 * await createStateTransfer({ eventStore, snapshotStore, stateTransferQueue: fakeQueue })(kinesisEvent)
 */
export function createStateTransfer(transferDeps: StateTransferDeps): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  const handlerOver = (readDeps: AccountReadDeps) =>
    createKinesisBulkHandler<OutgoingMessage>({
      catalog: sluiceCatalog,
      accepts: isAccountEventType,
      logger,
      metrics,
      ...(transferDeps.deadLetters ? { deadLetters: { consumer: 'state-transfer', queue: transferDeps.deadLetters } } : {}),
      prepare: async (event) => {
        const stateChanged = stateChangedEvent(event, await accountAtEvent(readDeps, event));
        return { body: JSON.stringify(stateChanged), ...stateChangedMessageKeys(stateChanged), ...traceAttributes(event) };
      },
      deliver: (messages) => sendMessages(transferDeps.stateTransferQueue, messages),
    });
  return async (event, context) => handlerOver(await batchReadDeps(transferDeps, event.Records))(event, context);
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent, context) => createStateTransfer(defaultDeps())(event, context));
