import type { EventEnvelope } from '../envelope';
import { fullJitterDelayMs, sleep as realSleep, type BackoffOptions } from './backoff';
import { assertRecordsFit, planPutRecordsBatches, PUT_RECORDS_LIMITS, type PutRecordsEntry, type PutRecordsLimits } from './batch-planner';
import { PublishFailedError, StreamPublishError } from './errors';
import type { PutRecordsPort } from './put-records-port';

/** The result for one input envelope; `index` is its position in the input. */
export type PublishResult =
  | { readonly ok: true; readonly index: number; readonly id: string; readonly sequenceNumber: string; readonly shardId: string }
  | { readonly ok: false; readonly index: number; readonly id: string; readonly error: PublishFailure };

/** Why a record was not published after the last attempt (Kinesis error code and message). */
export interface PublishFailure {
  readonly code: string;
  readonly message: string;
}

/** Anything that puts envelopes on the events stream; handlers depend on this, not on Kinesis. */
export interface EventPublisher {
  publish(envelopes: readonly EventEnvelope[]): Promise<PublishResult[]>;
}

export interface KinesisPublisherOptions extends Partial<BackoffOptions> {
  /** Total attempts per record, the first one included. @default 4 */
  readonly maxAttempts?: number;
  readonly limits?: PutRecordsLimits;
  /** Injected so tests do not wait. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected so tests are deterministic. @default Math.random */
  readonly random?: () => number;
}

/**
 * Per-record errors that no retry can fix (the stream's KMS key is unusable); everything else
 * (throughput exceeded, internal failure, KMS throttling) is worth another attempt.
 */
const PERMANENT_ERROR_CODES = new Set(['KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException', 'KMSOptInRequired']);

/** Serialises an envelope the way every sluice producer does: JSON, partition key from the envelope. */
export function encodeEnvelope(envelope: EventEnvelope): PutRecordsEntry {
  return { data: Buffer.from(JSON.stringify(envelope), 'utf8'), partitionKey: envelope.partitionkey };
}

/**
 * Publishes envelopes to Kinesis with PutRecords, batched by count and bytes.
 *
 * A PutRecords call can succeed for some records and fail for others; only the failed records are
 * sent again, with exponential backoff and full jitter, up to `maxAttempts`. Records still failing
 * then are returned as failures rather than thrown, so the caller decides (the API reports them,
 * a stream consumer fails its record). A retried record may land after a later record with the
 * same partition key; callers that need strict order per key publish one record per key per call.
 *
 * @example
 * const publisher = new KinesisPublisher(new SdkPutRecordsAdapter(kinesis, streamName));
 * const results = await publisher.publish([envelope]);
 * @throws {RecordTooLargeError} before sending anything, when one record is over 1 MiB.
 */
export class KinesisPublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly limits: PutRecordsLimits;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  public constructor(
    private readonly port: PutRecordsPort,
    options: KinesisPublisherOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new Error(`maxAttempts must be a positive integer (got ${this.maxAttempts})`);
    }
    this.backoff = { baseDelayMs: options.baseDelayMs ?? 50, maxDelayMs: options.maxDelayMs ?? 2000 };
    this.limits = options.limits ?? PUT_RECORDS_LIMITS;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  public async publish(envelopes: readonly EventEnvelope[]): Promise<PublishResult[]> {
    const entries = envelopes.map(encodeEnvelope);
    assertRecordsFit(entries, this.limits);
    const results = new Map<number, PublishResult>();
    let pending = entries.map((_, index) => index);

    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await this.sleep(fullJitterDelayMs(attempt - 1, this.backoff, this.random));
      const retry: number[] = [];
      for (const batch of planPutRecordsBatches(
        pending.map((index) => entries[index]),
        this.limits,
      )) {
        const indices = batch.map((position) => pending[position]);
        const outcomes = await this.port.putRecords(indices.map((index) => entries[index]));
        if (outcomes.length !== indices.length) {
          throw new StreamPublishError('unexpected_put_records_response', `PutRecords returned ${outcomes.length} results for ${indices.length} records`);
        }
        outcomes.forEach((outcome, position) => {
          const index = indices[position];
          const id = envelopes[index].id;
          if ('sequenceNumber' in outcome) {
            results.set(index, { ok: true, index, id, sequenceNumber: outcome.sequenceNumber, shardId: outcome.shardId });
            return;
          }
          const error = { code: outcome.errorCode, message: outcome.errorMessage };
          results.set(index, { ok: false, index, id, error });
          if (attempt < this.maxAttempts && !PERMANENT_ERROR_CODES.has(outcome.errorCode)) retry.push(index);
        });
      }
      pending = retry;
    }
    return envelopes.map((_, index) => results.get(index)!);
  }
}

/**
 * Publishes envelopes and fails unless every one of them reached the stream.
 *
 * For producers inside a batch consumer, where one unpublished event must fail the record that
 * caused it (so it is retried), rather than be reported back to a caller.
 *
 * @example
 * await publishAll(publisher, alerts);
 * @throws {PublishFailedError} listing the events that were not published.
 */
export async function publishAll(publisher: EventPublisher, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const failures = (await publisher.publish(envelopes)).flatMap((result) => (result.ok ? [] : [{ id: result.id, ...result.error }]));
  if (failures.length > 0) throw new PublishFailedError(failures);
}
