import { SHARED_ENV } from '../shared/environment';

/** The command function's environment contract: the stack sets each variable, the handler reads it by this name. */
export const COMMAND_ENV = {
  eventStoreTableName: SHARED_ENV.eventStoreTableName,
  snapshotTableName: SHARED_ENV.snapshotTableName,
  /** Events between two snapshots of an account (an optimisation: losing snapshots loses nothing). */
  snapshotEvery: 'SNAPSHOT_EVERY',
  /** Where Powertools idempotency keeps the `Idempotency-Key` records (DESIGN.md, idempotent commands). */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
} as const;
