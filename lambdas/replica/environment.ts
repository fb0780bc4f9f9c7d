import { SHARED_ENV } from '../shared/environment';

/** The replica's environment contract: the stack sets each variable, the handler reads it by this name. */
export const REPLICA_ENV = {
  replicaTableName: 'REPLICA_TABLE_NAME',
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
