import { SHARED_ENV } from '../shared/environment';

/** The notifier's environment contract: the stack sets each variable, the handler reads it by this name. */
export const NOTIFIER_ENV = {
  eventStoreTableName: SHARED_ENV.eventStoreTableName,
  snapshotTableName: SHARED_ENV.snapshotTableName,
  /** Where it sends one message per event. */
  queueUrl: 'NOTIFICATIONS_QUEUE_URL',
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
