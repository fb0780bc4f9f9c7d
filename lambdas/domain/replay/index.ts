export { ACCOUNT_STREAM_PREFIX, diffRows, groupByStream, rebuildAccount } from './rebuild';
export type { RebuiltAccount, RowDifference } from './rebuild';
