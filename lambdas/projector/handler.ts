import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import {
  type AccountEvent,
  accountEventFromEnvelope,
  type AccountRunOutcome,
  accountStreamId,
  BalanceRowCache,
  isAccountEventType,
  projectAccountBatch,
  ProjectionOrderError,
  type ReadModelProjectorDeps,
} from '../domain/accounts';
import type { StoredEventExpectation } from '../shared/event-store/port';
import { deliveredExpectation } from '../shared/event-store/stored-event';
import { sluiceCatalog } from '../domain/catalog';
import { createKinesisGroupedHandler, type DeadLetterPort, type GroupSettlement } from '../shared/batch';
import { getDocumentClient } from '../shared/document-client';
import { requireEnv } from '../shared/config';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { logger, metrics, withObservability } from '../shared/observability';
import { DynamoDbAccountReadModel } from '../adapters/accounts/dynamodb-account-read-model';
import { deadLetterQueueFromEnv } from '../shared/sqs';
import { PROJECTOR_ENV } from './environment';

/** What the projector needs: the read model, the event store for gaps, and its DLQ for poison records. */
export interface ProjectorDeps extends ReadModelProjectorDeps {
  readonly deadLetters?: DeadLetterPort;
}

let deps: ProjectorDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): ProjectorDeps {
  if (deps) return deps;
  const client = getDocumentClient();
  const eventStore = requireEnv(PROJECTOR_ENV.eventStoreTableName);
  const readModel = new DynamoDbAccountReadModel(client, {
    balances: requireEnv(PROJECTOR_ENV.balancesTableName),
    transactions: requireEnv(PROJECTOR_ENV.transactionsTableName),
    eventStore,
  });
  deps = {
    readModel,
    eventStore: new DynamoDbEventStore(client, eventStore),
    deadLetters: deadLetterQueueFromEnv(),
    verifiedCommit: { maxActions: ONE_WRITE_ACTIONS, commitVerified: (runs) => readModel.commitVerified(runs) },
    // Kept for the container's life: its next batches of these accounts fold onto them without a read.
    rows: new BalanceRowCache(),
  };
  return deps;
}

/** A delivered account event, and what its envelope says the store holds (checked by the one-write path). */
interface DeliveredAccountEvent {
  readonly event: AccountEvent;
  readonly delivered: StoredEventExpectation;
}

/**
 * The most actions the projector puts in its one-call write: small batches are latency-bound, and
 * one call is what they wait on; a large batch (a backlog) is throughput-bound, and a transaction
 * costs more per item than a batch write, on DynamoDB Local in CPU and on AWS in write units
 * (two per item), so it keeps the batch write of its rows and a transaction of only its balance
 * rows. 25 actions take one account's 12 events with their store checks.
 */
export const ONE_WRITE_ACTIONS = 25;

/** Accounts of one batch planned at once (a gap's Query each), and balance rows put at once when the batch's transaction is refused. */
export const PROJECTOR_CONCURRENCY = 16;

/**
 * The projector's batch handler: Kinesis `events` → CQRS read model (balances, transactions).
 *
 * A batch is grouped by account and projected in one to three rounds of calls, whatever the number
 * of accounts ({@link projectAccountBatch}): a small batch of accounts whose rows this container
 * remembers in one transaction that checks the rows' versions and the delivered events against
 * the store, reading nothing; otherwise one batch read of the balance rows beside one of the
 * delivered events, then the transaction rows and guarded balance rows in one transaction when
 * they fit, else one batch write of the rows and one transaction of the balance rows (put one by
 * one when it is refused). A failed account
 * reports its first unapplied record; the others' records after it come back (Lambda resumes from
 * the lowest reported one) and are skipped by version. Other catalogued types (cards, state-changed) are
 * acknowledged and skipped; an unknown type, invalid data or an untrusted account event goes to
 * the DLQ with its reason (or fails its record when there is no DLQ).
 *
 * @example
 * const project = createProjector({ readModel: fakeReadModel, eventStore: fakeStore });
 * await project(kinesisEvent) // { batchItemFailures: [] }
 */
export function createProjector(projectorDeps: ProjectorDeps): (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse> {
  return createKinesisGroupedHandler<DeliveredAccountEvent>({
    catalog: sluiceCatalog,
    accepts: isAccountEventType,
    logger,
    metrics,
    ...(projectorDeps.deadLetters ? { deadLetters: { consumer: 'projector', queue: projectorDeps.deadLetters } } : {}),
    prepare: (envelope) => {
      const event = accountEventFromEnvelope(envelope);
      return { event, delivered: deliveredExpectation(accountStreamId(event.data.accountId), envelope) };
    },
    groupOf: ({ event }) => event.data.accountId,
    handleGroups: async (groups) => {
      const outcomes = await projectAccountBatch(
        { concurrency: PROJECTOR_CONCURRENCY, ...projectorDeps },
        groups.map(({ key, items }) => ({ accountId: key, events: items.map(({ event }) => event), delivered: items.map(({ delivered }) => delivered) })),
      );
      return groups.map(({ key, items }, i) => {
        const outcome = outcomes[i]!;
        if (outcome.versions.length > 0) logger.debug('projected', { accountId: key, versions: outcome.versions });
        return settleAccountRun(
          items.map(({ event }) => event),
          outcome,
        );
      });
    },
  });
}

/**
 * Which of an account's delivered events the run finished: events are settled in stream order
 * while they are untrusted (poison) or at most the version the row reached; the first other one
 * is the first unapplied event, and the run's failure is why.
 *
 * @example
 * settleAccountRun([v3, v4, v5], { appliedVersion: 4, failure }) // { settled: 2, failure, poison: Map {} }
 */
export function settleAccountRun(events: readonly AccountEvent[], outcome: AccountRunOutcome): GroupSettlement {
  const applied = outcome.appliedVersion;
  const stop = events.findIndex((event, position) => !outcome.untrusted.has(position) && (applied === undefined || event.version > applied));
  const poison = new Map<number, unknown>(outcome.untrusted);
  if (stop < 0) return { settled: events.length, poison };
  return {
    settled: stop,
    poison,
    failure: outcome.failure ?? new ProjectionOrderError(events[stop]!.data.accountId, applied ?? 0, events[stop]!.version, 'the run ended before reaching it'),
  };
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent) => createProjector(defaultDeps())(event));
