import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { sluiceCatalog } from '../domain/catalog';
import type { EventCatalog } from '../shared/catalog';
import { getKinesisClient } from '../shared/clients';
import { requireEnv } from '../shared/config';
import { INGEST_ENV } from './environment';
import { errorResponse, isClientError, json, parseJsonBody, withTraceparent, type BodyEvent } from '../shared/http';
import { eventTimeBoundsFromEnv, type EventTimeBounds } from '../shared/input-rules';
import { KinesisPublisher, SdkPutRecordsAdapter, type EventPublisher } from '../shared/kinesis';
import { logger, metrics, withObservability } from '../shared/observability';
import { MAX_BODY_BYTES, planIngest } from './ingest-request';
import { correlationKeys, traceFromHeaders } from '../shared/trace-context';

/** What ingestion needs: where to publish, which types exist, the time for events without one, and how far event times may stray from it. */
export interface IngestDeps {
  readonly publisher: EventPublisher;
  readonly catalog: EventCatalog;
  readonly now: () => Date;
  /** @default the contract's [now − 7 days, now + 5 minutes] */
  readonly eventTimeBounds?: EventTimeBounds;
}

/** The 202 body: ids of the published events, and the position and reason of each one that was not. */
export interface IngestResponseBody {
  readonly accepted: readonly { readonly id: string }[];
  readonly failed: readonly { readonly index: number; readonly error: string; readonly message: string }[];
}

let deps: IngestDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): IngestDeps {
  deps ??= {
    publisher: new KinesisPublisher(new SdkPutRecordsAdapter(getKinesisClient(), requireEnv(INGEST_ENV.eventsStreamName))),
    catalog: sluiceCatalog,
    now: () => new Date(),
    eventTimeBounds: eventTimeBoundsFromEnv(),
  };
  return deps;
}

/**
 * `POST /events`: validates catalogued telemetry events and publishes them to the events stream.
 *
 * Nothing is published unless every event is valid (400/413 otherwise). Publishing can still
 * fail for some records after the publisher's retries; those are listed in `failed` with their
 * index, so the caller resends just them (with the same `id`, consumers drop the duplicate).
 * Every event carries the request's `traceparent` (its header, or a new trace), which the
 * response's `traceparent` header repeats.
 *
 * @example
 * await ingestEvents(apiEvent({ events: [swipe] }), { publisher: fakePublisher, catalog: sluiceCatalog, now })
 * // 202 {"accepted":[{"id":"01J…"}],"failed":[]}
 */
export async function ingestEvents(event: BodyEvent, ingestDeps: IngestDeps = defaultDeps()): Promise<APIGatewayProxyResult> {
  const { traceparent } = traceFromHeaders(event.headers);
  logger.appendKeys(correlationKeys(traceparent));
  return withTraceparent(await ingest(event, ingestDeps, traceparent), traceparent);
}

async function ingest(event: BodyEvent, ingestDeps: IngestDeps, traceparent: string): Promise<APIGatewayProxyResult> {
  try {
    const plan = planIngest(parseJsonBody(event, MAX_BODY_BYTES), ingestDeps.catalog, ingestDeps.now, ingestDeps.eventTimeBounds, traceparent);
    const results = await ingestDeps.publisher.publish(plan.events.map(({ envelope }) => envelope));
    // The publisher numbers the envelopes it got; the caller needs positions in its request.
    const requestIndex = (publishedIndex: number) => plan.events[publishedIndex].index;

    const body: IngestResponseBody = {
      accepted: results.flatMap((result) => (result.ok ? [{ id: result.id }] : [])),
      failed: [
        ...results.flatMap((result) => (result.ok ? [] : [{ index: requestIndex(result.index), error: result.error.code, message: result.error.message }])),
        ...plan.duplicates,
      ].sort((a, b) => a.index - b.index),
    };
    metrics.addMetric('EventsAccepted', MetricUnit.Count, body.accepted.length);
    // Only what the stream refused: a repeated id in the request is the caller's mistake, not an outage.
    metrics.addMetric('EventsNotPublished', MetricUnit.Count, results.filter((result) => !result.ok).length);
    if (body.failed.length > 0) logger.warn('some events were not published after retries', { failed: body.failed });
    logger.info('events published', { eventIds: body.accepted.map(({ id }) => id) });
    return json(202, body);
  } catch (error) {
    if (isClientError(error)) logger.info('events refused', { error: error as Error });
    else logger.error('ingestion failed', { error: error as Error });
    return errorResponse(error);
  }
}

/** Lambda entry point. */
export const handler = withObservability((event: APIGatewayProxyEvent) => ingestEvents(event));
