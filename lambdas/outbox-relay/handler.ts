import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { getKinesisClient } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/config';
import { KinesisPublisher, SdkPutRecordsAdapter } from '../shared/kinesis';
import { logger, withObservability } from '../shared/observability';
import { deadLetterQueueFromEnv } from '../shared/sqs';
import { relayStreamRecords, type RelayDeps } from './relay';
import { OUTBOX_RELAY_ENV } from './environment';

let deps: RelayDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): RelayDeps {
  deps ??= {
    publisher: new KinesisPublisher(new SdkPutRecordsAdapter(getKinesisClient(), requireEnv(OUTBOX_RELAY_ENV.eventsStreamName))),
    logger,
    deadLetters: deadLetterQueueFromEnv(),
    deadLetterAfterMs: intEnv(OUTBOX_RELAY_ENV.deadLetterAfterSeconds, 23 * 60 * 60) * 1000,
  };
  return deps;
}

/**
 * The outbox relay: event store DynamoDB stream (NEW_IMAGE) → Kinesis `events`.
 *
 * @example
 * await relay(dynamoDbStreamEvent, { publisher: fakePublisher, logger }) // { batchItemFailures: [] }
 */
export function relay(event: DynamoDBStreamEvent, relayDeps: RelayDeps = defaultDeps()): Promise<DynamoDBBatchResponse> {
  return relayStreamRecords(event.Records, relayDeps);
}

/** Lambda entry point. */
export const handler = withObservability((event: DynamoDBStreamEvent) => relay(event));
