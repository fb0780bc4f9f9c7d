/**
 * The Lambda event record a function subscribed to the event store's DynamoDB stream receives for
 * one stored item, built by the local cloud's own DynamoDB Streams mapping (the code that turns a
 * GetRecords record into the Lambda event shape), so a test never hand-writes that shape.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { dynamodbEventRecord } from '../../../local/mappings/dynamodb-stream-poller';

export interface EventStoreStreamRecordOptions {
  /** When DynamoDB wrote the change. @default now */
  readonly createdAt?: Date;
  /** @default a fixed 21-digit sequence number */
  readonly sequenceNumber?: string;
  /** @default a stream ARN of a table named `events` */
  readonly streamArn?: string;
}

/** The event store's key attributes, as the table declares them. */
const KEY_ATTRIBUTES = ['streamId', 'version'] as const;

/**
 * An INSERT record (view NEW_IMAGE) of the event store's stream for `item`.
 *
 * @param item the stored item, either as DynamoDB attribute values (GetItem) or plain (the document client)
 * @example
 * const record = eventStoreStreamRecord(Item, { createdAt: new Date(Date.now() - 25 * 3600_000) });
 * @throws Error naming the missing key attribute when `item` is not an event store item
 */
export function eventStoreStreamRecord(item: Record<string, unknown>, options: EventStoreStreamRecordOptions = {}): DynamoDBRecord {
  // A plain item (the document client's) has its key as a string; GetItem's has it as { S: … }.
  const image = typeof item.streamId === 'string' ? marshall(item, { removeUndefinedValues: true }) : (item as Record<string, AttributeValue>);
  const keys: Record<string, AttributeValue> = {};
  for (const name of KEY_ATTRIBUTES) {
    const value = image[name];
    if (!value) throw new Error(`eventStoreStreamRecord: the item has no ${name} (got attributes ${Object.keys(image).join(', ')}); pass an event store item`);
    keys[name] = value;
  }
  return dynamodbEventRecord(
    {
      eventID: '1',
      eventName: 'INSERT',
      dynamodb: {
        ApproximateCreationDateTime: options.createdAt ?? new Date(),
        Keys: keys,
        NewImage: image,
        SequenceNumber: options.sequenceNumber ?? '900000000000000000001',
        StreamViewType: 'NEW_IMAGE',
      },
    },
    options.streamArn ?? 'arn:aws:dynamodb:us-east-1:000000000000:table/events/stream/2025-01-01T00:00:00.000',
  ) as DynamoDBRecord;
}
