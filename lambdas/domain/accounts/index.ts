export {
  ACCOUNT_EVENT_SOURCE,
  ACCOUNT_EVENT_TYPES,
  ACCOUNT_STATE_CHANGED_TYPE,
  accountDepositedV1,
  accountDepositedV1Schema,
  accountDepositedV2,
  accountDepositedV2Schema,
  DEPOSIT_CHANNELS,
  HISTORICAL_ACCOUNT_EVENT_TYPES,
  accountEventDefinitions,
  accountIdSchema,
  accountOpenedV1,
  accountOpenedV1Schema,
  accountStateChangedV1,
  accountStateChangedV1Schema,
  accountWithdrawnV1,
  accountWithdrawnV1Schema,
  amountSchema,
  currencySchema,
  ownerSchema,
  referenceSchema,
  upcastDepositedV1,
} from './events';
export type { AccountDepositedV1, AccountDepositedV2, AccountEventType, DepositChannel, AccountOpenedV1, AccountStateChangedV1, AccountWithdrawnV1 } from './events';
export { accountEventFromEnvelope, accountEventFromStored, isAccountEventType, parseAccountEvent } from './account-event';
export { assertStoredMatches, storedCounterpart } from './trusted-event';
export type { AccountEvent, AccountEventDraft } from './account-event';
export { applyAccountEvent, foldAccount, initialAccountState } from './account';
export type { AccountState, OpenAccount, UnopenedAccount } from './account';
export {
  AccountAlreadyExistsError,
  AccountError,
  AccountHistoryError,
  AccountNotFoundError,
  InsufficientFundsError,
  ProjectionOrderError,
  UntrustedAccountEventError,
  ReadModelConflictError,
  StaleVersionError,
} from './errors';
export { decideDeposit, decideOpen, decideWithdraw } from './commands';
export type { DepositCommand, MoneyCommand, OpenAccountCommand } from './commands';
export { accountSnapshot, accountStateFromSnapshot, shouldSnapshot } from './snapshots';
export { accountStreamId, deposit, loadAccount, openAccount, preloadAccount, withdraw } from './account-service';
export type {
  AccountCommandResult,
  AccountReadDeps,
  AccountServiceDeps,
  LoadAccountOptions,
  OpenAccountRequest,
  PreloadedAccount,
  SnapshotOutcome,
} from './account-service';
export { planProjection, projectAccountEvent } from './projection';
export type { BalanceRow, ProjectionStep, ReadModelChange, TransactionKind, TransactionRow } from './projection';
export type { AccountReadModel, Clock, IdGenerator, VerifiedRun, VerifiedRunCommit } from './ports';
export { BalanceRowCache, DEFAULT_CACHED_ROWS } from './balance-row-cache';
export { actionsOf, planVerifiedRuns } from './verified-runs';
export type { DeliveredAccountEvents } from './verified-runs';
export { applyRun, foldChanges, putBalancesEach, runOf } from './projection-run';
export type { ReadModelRun } from './projection-run';
export { DEFAULT_PROJECTION_CONCURRENCY, projectAccountBatch, projectAccountRun, projectToReadModel } from './read-model-projector';
export type { AccountEvents, AccountRunOutcome, ProjectionOutcome, ReadModelProjectorDeps } from './read-model-projector';
