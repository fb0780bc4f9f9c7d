import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { CARD_EVENT_TYPES } from '../../lambdas/domain/cards/events';
import { defineConsumer } from '../../lib/consumers/consumer-definition';
import { CONSUMERS } from '../../lib/consumers/registry';
import { grantTableActions } from '../../lib/grants';
import { describeConsumerResources } from './consumer-resources.fixture';
import { THROWAWAY_ENV } from './fixtures/throwaway-consumer/environment';
import { buildTestApp } from './sluice-app.fixture';

/**
 * docs/adding-a-consumer.md's recipe, checked: one more registry entry (here appended to the real
 * registry) and one handler folder (here under test fixtures) are all a consumer needs; the app then
 * has its function, mapping, DLQ, alarms and both outputs.
 */
const throwaway = defineConsumer({
  name: 'throwaway',
  description: 'A consumer that exists only in this test',
  source: { kind: 'events-stream' },
  handlerDir: path.join(__dirname, 'fixtures', 'throwaway-consumer'),
  environment: {
    contract: THROWAWAY_ENV,
    values: ({ data, deadLetterQueue }) => ({ windowsTableName: data.fraudWindowsTable.tableName, dlqUrl: deadLetterQueue.queueUrl }),
  },
  grants: (fn, { data }) => grantTableActions(data.fraudWindowsTable, fn, ['dynamodb:GetItem']),
  mapping: { maxBatchingWindow: Duration.seconds(3), batchSize: 50 },
  dlq: 'standard',
  eventTypes: [CARD_EVENT_TYPES.swiped],
});

describe('a throwaway consumer added to the registry', () => {
  let app: ReturnType<typeof buildTestApp> | undefined;
  describeConsumerResources(() => (app ??= buildTestApp({}, { consumers: [...CONSUMERS, throwaway] })), throwaway);
});
