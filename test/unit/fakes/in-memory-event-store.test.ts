import { describeEventStoreContract } from '../../helpers/event-store-contract';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';

// The same cases run against the DynamoDB adapter on DynamoDB Local in test/integration/dynamodb/event-store.test.ts.
describeEventStoreContract('the in-memory event store', () => {
  const store = new InMemoryEventStore();
  return { store, put: async (events) => store.seed(events) };
});
