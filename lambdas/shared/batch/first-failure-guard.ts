import { SkippedAfterFailureError } from './errors';

/**
 * Remembers the first failed record of a stream batch and fails every later one fast.
 *
 * Lambda resumes a Kinesis shard from the first reported failure, so later records come back
 * anyway; stopping keeps per-key order and avoids repeating their side effects.
 */
export class FirstFailureGuard {
  private firstFailure: string | undefined;

  /** @throws {SkippedAfterFailureError} once an earlier record has failed. */
  public assertNoEarlierFailure(recordId: string): void {
    if (this.firstFailure !== undefined) throw new SkippedAfterFailureError(recordId, this.firstFailure);
  }

  public recordFailure(recordId: string): void {
    this.firstFailure ??= recordId;
  }
}
