import type { SQSRecord } from 'aws-lambda';
import { parseTraceparent, TRACEPARENT_HEADER } from '../trace-context';
import type { OutgoingMessage } from './message-sender';

/**
 * The `traceparent` message attribute of a message sent on behalf of an event, so the consumer of
 * the queue can carry the trace on whatever the body is (a notification is not an envelope).
 *
 * @example
 * { body, ...traceAttributes(event) } // { body, attributes: { traceparent: '00-…-01' } }
 */
export function traceAttributes(event: { readonly traceparent?: string }): Pick<OutgoingMessage, 'attributes'> {
  return event.traceparent ? { attributes: { [TRACEPARENT_HEADER]: event.traceparent } } : {};
}

/** The valid `traceparent` message attribute of a received SQS message, if it has one. */
export function traceparentOfMessage(record: Pick<SQSRecord, 'messageAttributes'>): string | undefined {
  const attribute = record.messageAttributes?.[TRACEPARENT_HEADER];
  return parseTraceparent(attribute?.stringValue)?.traceparent;
}

/** When the message was sent to its queue (its `SentTimestamp`, ISO 8601): a queue hop of the trace. */
export function sentAt(record: Pick<SQSRecord, 'attributes'>): string | undefined {
  const millis = Number(record.attributes?.SentTimestamp);
  return Number.isFinite(millis) && millis > 0 ? new Date(millis).toISOString() : undefined;
}
