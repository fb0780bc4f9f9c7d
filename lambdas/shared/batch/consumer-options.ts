import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EventCatalog } from '../catalog';
import type { EventEnvelope } from '../envelope';
import { decodeKinesisEnvelope } from './decode';

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
}

/** Counts a batch's outcomes and emits them as metrics once, at the end of the batch. */
export class BatchTally {
  public handled = 0;
  public skipped = 0;
  public failed = 0;

  public emit(metrics: ConsumerMetrics | undefined): void {
    if (!metrics) return;
    metrics.addMetric('EventsHandled', MetricUnit.Count, this.handled);
    metrics.addMetric('EventsSkipped', MetricUnit.Count, this.skipped);
    metrics.addMetric('RecordsFailed', MetricUnit.Count, this.failed);
  }
}

/**
 * Decodes a record and returns its event if the consumer acts on its type, `undefined` to skip it.
 *
 * @throws {UndecodableRecordError} when the record is not a valid catalogued event.
 */
export function acceptedEvent(record: KinesisStreamRecord, options: StreamConsumerOptions): EventEnvelope | undefined {
  const event = decodeKinesisEnvelope(record, options.catalog);
  if (options.accepts(event.type)) return event;
  options.logger.debug('skipping an event type this consumer does not handle', { eventId: event.id, type: event.type });
  return undefined;
}

/** Builds an `accepts` predicate from a list of event types. */
export function acceptTypes(...types: readonly string[]): (type: string) => boolean {
  const accepted = new Set(types);
  return (type) => accepted.has(type);
}
