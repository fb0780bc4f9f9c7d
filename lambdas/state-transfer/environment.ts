import { SHARED_ENV } from '../shared/environment';

/** The state-transfer function's environment contract: the stack sets each variable, the handler reads it by this name. */
export const STATE_TRANSFER_ENV = {
  eventStoreTableName: SHARED_ENV.eventStoreTableName,
  snapshotTableName: SHARED_ENV.snapshotTableName,
  /** Where it sends one message per event. */
  queueUrl: 'STATE_TRANSFER_QUEUE_URL',
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
