import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { accountEventFromEnvelope, isAccountEventType, projectToReadModel, type ReadModelProjectorDeps } from '../domain/accounts';
import { sluiceCatalog } from '../domain/catalog';
import { createKinesisEventHandler, type DeadLetterPort } from '../shared/batch';
import { getDocumentClient } from '../shared/clients';
import { requireEnv } from '../shared/config';
import { DynamoDbEventStore } from '../shared/event-store/dynamodb-event-store';
import { logger, metrics, withObservability } from '../shared/observability';
import { DynamoDbAccountReadModel } from '../shared/read-model/dynamodb-account-read-model';
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
  deps = {
    readModel: new DynamoDbAccountReadModel(client, {
      balances: requireEnv(PROJECTOR_ENV.balancesTableName),
      transactions: requireEnv(PROJECTOR_ENV.transactionsTableName),
    }),
    eventStore: new DynamoDbEventStore(client, requireEnv(PROJECTOR_ENV.eventStoreTableName)),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/**
 * The projector's batch handler: Kinesis `events` → CQRS read model (balances, transactions).
 *
 * Account domain events are projected in stream order; other catalogued types (cards,
 * state-changed) are acknowledged and skipped; an unknown type or invalid data goes to the DLQ
 * with its reason (or fails its record when there is no DLQ).
 *
 * @example
 * const project = createProjector({ readModel: fakeReadModel, eventStore: fakeStore });
 * await project(kinesisEvent) // { batchItemFailures: [] }
 */
export function createProjector(projectorDeps: ProjectorDeps): (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse> {
  return createKinesisEventHandler({
    catalog: sluiceCatalog,
    accepts: isAccountEventType,
    logger,
    metrics,
    ...(projectorDeps.deadLetters ? { deadLetters: { consumer: 'projector', queue: projectorDeps.deadLetters } } : {}),
    handle: async (envelope) => {
      const outcome = await projectToReadModel(projectorDeps, accountEventFromEnvelope(envelope));
      if (outcome.status === 'skipped') logger.debug('event already projected', { eventId: envelope.id });
      else if (outcome.versions.length > 1) logger.info('filled a gap in the read model', { eventId: envelope.id, versions: outcome.versions });
    },
  });
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent) => createProjector(defaultDeps())(event));
