import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { isAccountEventType, loadAccount, type AccountReadDeps, type OpenAccount } from '../domain/accounts';
import { cardFraudSuspectedV1Schema } from '../domain/cards';
import { sluiceCatalog } from '../domain/catalog';
import { accountAtEvent, composeNotification, isNotifiable } from '../domain/integration';
import { createKinesisBulkHandler, type DeadLetterPort } from '../shared/batch';
import { getSqsClient } from '../shared/clients';
import { getDocumentClient } from '../shared/document-client';
import { requireEnv } from '../shared/config';
import type { EventEnvelope } from '../shared/envelope';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../shared/event-store/dynamodb-snapshot-store';
import { logger, metrics, withObservability } from '../shared/observability';
import { batchReadDeps } from '../adapters/accounts/batch-read-deps';
import type { StoredEventBatchReader } from '../adapters/accounts/prefetched-events';
import { deadLetterQueueFromEnv, SdkSendMessageBatchAdapter, sendMessages, type OutgoingMessage, type SendMessageBatchPort } from '../shared/sqs';
import { NOTIFIER_ENV } from './environment';
import { traceAttributes } from '../shared/sqs/trace-attributes';

/** What the notifier needs: the event store (for details) and the notifications queue. */
export interface NotifierDeps extends AccountReadDeps {
  readonly notifications: SendMessageBatchPort;
  /**
   * Reads the batch's stored counterparts in one request (BatchGetItem) instead of one read per
   * event; without it each event's trust check reads the store on its own.
   */
  readonly storedEvents?: StoredEventBatchReader;
  /** The notifier's DLQ for poison records. */
  readonly deadLetters?: DeadLetterPort;
}

let deps: NotifierDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): NotifierDeps {
  if (deps) return deps;
  const client = getDocumentClient();
  const eventStore = new DynamoDbEventStore(client, requireEnv(NOTIFIER_ENV.eventStoreTableName));
  deps = {
    eventStore,
    // The store reads a batch's keys itself (`readEvents`), as for state transfer.
    storedEvents: eventStore,
    snapshotStore: new DynamoDbSnapshotStore(client, requireEnv(NOTIFIER_ENV.snapshotTableName)),
    notifications: new SdkSendMessageBatchAdapter(getSqsClient(), requireEnv(NOTIFIER_ENV.queueUrl)),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/**
 * The notifier: Event Notification. Each account event (and each fraud alert) on the stream is a
 * thin "something happened"; the details (owner, balance as of that event) are read from the
 * event store, and one notification per event goes to the notifications queue.
 *
 * The stored counterparts of the batch's account events (the trust check) are read in one
 * BatchGetItem up front, and each account's snapshot and history once per batch (see
 * {@link batchAccountReads}), not once per event. Messages of a batch go out in SendMessageBatch calls; a record fails exactly when its message
 * was refused, and is retried. Card swipes and other types are acknowledged and skipped.
 *
 * @example
 * await createNotifier({ eventStore, snapshotStore, notifications: fakeQueue })(kinesisEvent)
 */
export function createNotifier(notifierDeps: NotifierDeps): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  const handlerOver = (readDeps: AccountReadDeps) =>
    createKinesisBulkHandler<OutgoingMessage>({
      catalog: sluiceCatalog,
      accepts: isNotifiable,
      logger,
      metrics,
      ...(notifierDeps.deadLetters ? { deadLetters: { consumer: 'notifier', queue: notifierDeps.deadLetters } } : {}),
      prepare: async (event) => {
        const account = await accountFor(readDeps, event);
        if (!account) return undefined;
        return { body: JSON.stringify(composeNotification(event, account)), ...traceAttributes(event) };
      },
      deliver: (messages) => sendMessages(notifierDeps.notifications, messages),
    });
  return async (event, context) => handlerOver(await batchReadDeps(notifierDeps, event.Records))(event, context);
}

/**
 * The account a notifiable event is about: as of the event for account events; as it is now for
 * a fraud alert, whose card telemetry may name an account sluice does not know (then nobody is
 * notified, and retrying would not change that).
 */
async function accountFor(readDeps: AccountReadDeps, event: EventEnvelope): Promise<OpenAccount | undefined> {
  if (isAccountEventType(event.type)) return accountAtEvent(readDeps, event);
  const { accountId, cardId } = cardFraudSuspectedV1Schema.parse(event.data);
  const account = await loadAccount(readDeps, accountId);
  if (account.status === 'open') return account;
  logger.warn('fraud alert for an account sluice does not know; nobody to notify', { eventId: event.id, accountId, cardId });
  return undefined;
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent, context) => createNotifier(defaultDeps())(event, context));
