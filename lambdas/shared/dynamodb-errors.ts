import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * True when a DynamoDB write failed because of its condition expression — a single conditional
 * write, or a transaction cancelled because one of its conditions failed.
 *
 * @example
 * catch (error) { if (isConditionalCheckFailure(error)) throw new VersionConflictError(id, v, { cause: error }); throw error; }
 */
export function isConditionalCheckFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
  }
  // Another copy of the SDK (or an emulator's error mapping) gives another class: fall back to the wire name.
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
