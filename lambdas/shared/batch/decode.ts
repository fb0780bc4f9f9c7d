import type { KinesisStreamRecord, SQSRecord } from 'aws-lambda';
import type { EventCatalog } from '../catalog';
import { parseEnvelope, type EventEnvelope } from '../envelope';
import { SluiceError } from '../errors';
import { UndecodableRecordError } from './errors';

/**
 * Decodes the base64 JSON payload of a Kinesis record delivered by an event source mapping.
 *
 * @throws {UndecodableRecordError} when the payload is not JSON.
 */
export function decodeKinesisJson(record: KinesisStreamRecord): unknown {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  return parseJson(record.kinesis.sequenceNumber, text);
}

/**
 * Turns a Kinesis record into a catalogued event: envelope checked, data validated, old versions upcast.
 *
 * @example
 * const event = decodeKinesisEnvelope(record, sluiceCatalog); // event.type is a known type
 * @throws {UndecodableRecordError} naming what was wrong; the record fails, it is never skipped.
 */
export function decodeKinesisEnvelope(record: KinesisStreamRecord, catalog: EventCatalog): EventEnvelope {
  const recordId = record.kinesis.sequenceNumber;
  return toCatalogued(recordId, decodeKinesisJson(record), catalog);
}

/**
 * Parses the JSON body of an SQS message.
 *
 * @throws {UndecodableRecordError} when the body is not JSON.
 */
export function parseSqsJsonBody(record: SQSRecord): unknown {
  return parseJson(record.messageId, record.body);
}

/**
 * Turns an SQS message whose body is an event envelope into a catalogued event.
 *
 * @throws {UndecodableRecordError} naming what was wrong.
 */
export function decodeSqsEnvelope(record: SQSRecord, catalog: EventCatalog): EventEnvelope {
  return toCatalogued(record.messageId, parseSqsJsonBody(record), catalog);
}

function parseJson(recordId: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UndecodableRecordError(recordId, `payload is not JSON (${(error as Error).message})`, { cause: error });
  }
}

function toCatalogued(recordId: string, value: unknown, catalog: EventCatalog): EventEnvelope {
  try {
    return catalog.parse(parseEnvelope(value));
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    const fields = error.details?.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    const reason = fields ? `${error.message} (${fields})` : error.message;
    throw new UndecodableRecordError(recordId, reason, { cause: error, details: error.details });
  }
}
