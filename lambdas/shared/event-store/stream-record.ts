import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventEnvelope } from '../envelope';
import { MalformedStoredEventError } from './errors';
import type { StoredEvent } from './port';
import { parseStoredEvent, storedEventToEnvelope } from './stored-event';

/**
 * The stored event in a DynamoDB stream record's `NEW_IMAGE`.
 *
 * @throws {MalformedStoredEventError} when the record has no new image or the image is not a stored event.
 */
export function storedEventFromStreamRecord(record: DynamoDBRecord): StoredEvent {
  const image = record.dynamodb?.NewImage;
  if (!image) {
    throw new MalformedStoredEventError(['the record has no NewImage; the event store stream must use the NEW_IMAGE view']);
  }
  // aws-lambda's AttributeValue and the SDK's are the same wire shape, declared twice.
  return parseStoredEvent(unmarshall(image as Record<string, AttributeValue>));
}

/**
 * The CloudEvents envelope for a DynamoDB stream record of the event store.
 *
 * @example
 * const envelope = envelopeFromStreamRecord(record); // streamversion + partitionkey set
 */
export function envelopeFromStreamRecord(record: DynamoDBRecord): EventEnvelope {
  return storedEventToEnvelope(storedEventFromStreamRecord(record));
}
