import type { KinesisStreamRecord, SQSRecord } from 'aws-lambda';
import { UndecodableRecordError } from './errors';

// Apart from ./decode, which validates envelopes against the catalog: a function that reads plain
// JSON messages (the notification worker) then bundles neither the envelope schema nor the catalog.

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
 * Parses the JSON body of an SQS message.
 *
 * @throws {UndecodableRecordError} when the body is not JSON.
 */
export function parseSqsJsonBody(record: SQSRecord): unknown {
  return parseJson(record.messageId, record.body);
}

function parseJson(recordId: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UndecodableRecordError(recordId, `payload is not JSON (${(error as Error).message})`, { cause: error });
  }
}
