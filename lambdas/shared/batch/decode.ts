import type { KinesisStreamRecord, SQSRecord } from 'aws-lambda';
import type { EventCatalog } from '../catalog';
import { parseEnvelope, type EventEnvelope } from '../envelope';
import { UnknownEventTypeError } from '../catalog';
import { SluiceError, ValidationError } from '../errors';
import { InvalidEventRecordError, UndecodableRecordError } from './errors';
import { decodeKinesisJson, parseSqsJsonBody } from './json-body';

export { decodeKinesisJson, parseSqsJsonBody } from './json-body';

/**
 * Turns a Kinesis record into a catalogued event: envelope checked, data validated, old versions upcast.
 *
 * @example
 * const event = decodeKinesisEnvelope(record, sluiceCatalog); // event.type is a known type
 * @throws {UndecodableRecordError} (not JSON, not an envelope) or {InvalidEventRecordError}
 * (`unknown_event_type`, `validation_failed`) naming what was wrong; never skipped silently.
 */
export function decodeKinesisEnvelope(record: KinesisStreamRecord, catalog: EventCatalog): EventEnvelope {
  const recordId = record.kinesis.sequenceNumber;
  return toCatalogued(recordId, decodeKinesisJson(record), catalog);
}

/**
 * Turns an SQS message whose body is an event envelope into a catalogued event.
 *
 * @throws {UndecodableRecordError} or {InvalidEventRecordError} naming what was wrong.
 */
export function decodeSqsEnvelope(record: SQSRecord, catalog: EventCatalog): EventEnvelope {
  return toCatalogued(record.messageId, parseSqsJsonBody(record), catalog);
}

function toCatalogued(recordId: string, value: unknown, catalog: EventCatalog): EventEnvelope {
  let envelope: EventEnvelope;
  try {
    envelope = parseEnvelope(value);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UndecodableRecordError(recordId, describe(error), { cause: error, details: error.details });
  }
  try {
    return catalog.parse(envelope);
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    const reason = error instanceof UnknownEventTypeError ? 'unknown_event_type' : 'validation_failed';
    throw new InvalidEventRecordError(reason, recordId, describe(error), { cause: error, details: error.details });
  }
}

function describe(error: SluiceError): string {
  const fields = error.details?.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return fields ? `${error.message} (${fields})` : error.message;
}
