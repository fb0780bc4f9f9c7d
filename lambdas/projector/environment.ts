import { SHARED_ENV } from '../shared/environment';

/** The projector's environment contract: the stack sets each variable, the handler reads it by this name. */
export const PROJECTOR_ENV = {
  balancesTableName: SHARED_ENV.balancesTableName,
  transactionsTableName: SHARED_ENV.transactionsTableName,
  eventStoreTableName: SHARED_ENV.eventStoreTableName,
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
