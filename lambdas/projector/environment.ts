import { SHARED_ENV } from '../shared/environment';

/** The projector's environment contract: the stack sets each variable, the handler reads it by this name. */
export const PROJECTOR_ENV = {
  balancesTableName: 'BALANCES_TABLE_NAME',
  transactionsTableName: 'TRANSACTIONS_TABLE_NAME',
  eventStoreTableName: SHARED_ENV.eventStoreTableName,
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
