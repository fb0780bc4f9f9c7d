import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EventCatalog } from '../catalog';
import type { EventEnvelope } from '../envelope';
import { type DeadLetterOptions, divertPoison, kinesisDeadLetter } from './dead-letter';
import { decodeKinesisEnvelope } from './decode';
import { correlationKeys } from '../trace-context';

export type ConsumerLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
export type ConsumerMetrics = Pick<Metrics, 'addMetric'>;

/** What every stream consumer states: how to decode, which types it acts on, where to report. */
export interface StreamConsumerOptions {
  readonly catalog: EventCatalog;
  /**
   * Whether the consumer acts on an event type. Any other catalogued type is acknowledged and
   * skipped; an uncatalogued type fails its record instead (the decoder rejects it).
   */
  readonly accepts: (type: string) => boolean;
  readonly logger: ConsumerLogger;
  readonly metrics?: ConsumerMetrics;
  /**
   * The consumer's DLQ for poison records (undecodable, unknown type, invalid data): they are sent
   * there with the reason and acknowledged. Without it they fail like any other record.
   */
  readonly deadLetters?: DeadLetterOptions;
}

/** Counts a batch's outcomes and emits them as metrics once, at the end of the batch. */
export class BatchTally {
  public handled = 0;
  public skipped = 0;
  public failed = 0;
  public deadLettered = 0;

  public emit(metrics: ConsumerMetrics | undefined): void {
    if (!metrics) return;
    metrics.addMetric('EventsHandled', MetricUnit.Count, this.handled);
    metrics.addMetric('EventsSkipped', MetricUnit.Count, this.skipped);
    metrics.addMetric('RecordsFailed', MetricUnit.Count, this.failed);
    metrics.addMetric('RecordsDeadLettered', MetricUnit.Count, this.deadLettered);
  }
}

/** The correlation keys of each record whose event was decoded (see {@link recordLogKeys}). */
const recordKeys = new WeakMap<KinesisStreamRecord, Record<string, string>>();

/**
 * The log keys of a record (`traceparent`, `eventId`, `correlation_id`) once {@link acceptedEvent}
 * decoded it; `{}` before that or when it did not decode. Batch handlers add them to every line
 * about one record, so a line about a record names its event and trace even when several records
 * are handled at once.
 */
export function recordLogKeys(record: KinesisStreamRecord): Record<string, string> {
  return recordKeys.get(record) ?? {};
}

/**
 * Runs `work` with a record's keys in every line the logger writes meanwhile (when it is a
 * Powertools logger), then removes them: for handlers that take one record at a time.
 */
export async function withRecordKeys<T>(logger: ConsumerLogger, record: KinesisStreamRecord, work: () => Promise<T>): Promise<T> {
  const keys = recordLogKeys(record);
  const keyed = logger as Partial<Pick<Logger, 'appendKeys' | 'removeKeys'>>;
  if (!keyed.appendKeys || !keyed.removeKeys || Object.keys(keys).length === 0) return work();
  keyed.appendKeys(keys);
  try {
    return await work();
  } finally {
    keyed.removeKeys(Object.keys(keys));
  }
}

/**
 * Decodes a record and returns its event if the consumer acts on its type, `undefined` to skip it.
 *
 * @throws {PoisonRecordError} when the record is not a valid catalogued event.
 */
export function acceptedEvent(record: KinesisStreamRecord, options: StreamConsumerOptions): EventEnvelope | undefined {
  const event = decodeKinesisEnvelope(record, options.catalog);
  const keys = correlationKeys(event.traceparent, event.id);
  recordKeys.set(record, keys);
  if (options.accepts(event.type)) return event;
  options.logger.debug('skipping an event type this consumer does not handle', { ...keys, type: event.type });
  return undefined;
}

/**
 * Sends a Kinesis record that failed for good to the consumer's DLQ; `true` when it did, so the
 * caller acknowledges the record instead of failing it.
 */
export function divertKinesisPoison(record: KinesisStreamRecord, error: unknown, options: StreamConsumerOptions): Promise<boolean> {
  const { deadLetters } = options;
  return divertPoison(deadLetters, error, (reason, failedAt) => kinesisDeadLetter(record, reason, error, deadLetters!.consumer, failedAt), options.logger);
}

/** Builds an `accepts` predicate from a list of event types. */
export function acceptTypes(...types: readonly string[]): (type: string) => boolean {
  const accepted = new Set(types);
  return (type) => accepted.has(type);
}
