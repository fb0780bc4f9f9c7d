import { SHARED_ENV } from '../shared/environment';
import { CURSOR_KEY_ENV } from './cursor-key-env';

/** The query function's environment contract: the stack sets each variable, the handler reads it by this name. */
export const QUERY_ENV = {
  balancesTableName: SHARED_ENV.balancesTableName,
  transactionsTableName: SHARED_ENV.transactionsTableName,
  cursorKeySecretArn: CURSOR_KEY_ENV.secretArn,
  cursorKey: CURSOR_KEY_ENV.value,
} as const;
