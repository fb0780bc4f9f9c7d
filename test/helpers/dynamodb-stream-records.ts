import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { StoredEvent } from '../../lambdas/shared/event-store/port';

let sequence = 100;

/** A DynamoDB stream record of the event store, as the event source mapping delivers it. */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: object): DynamoDBRecord {
  sequence += 1;
  const image: Record<string, SdkAttributeValue> = marshall(item, { removeUndefinedValues: true });
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { streamId: { S: String((item as { streamId?: unknown }).streamId) } },
      // The SDK's and aws-lambda's AttributeValue are the same wire shape declared twice.
      ...(eventName === 'REMOVE' ? {} : { NewImage: image as Record<string, AttributeValue> }),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** The INSERT record for a stored event. */
export function insertRecord(event: StoredEvent): DynamoDBRecord {
  return streamRecord('INSERT', event);
}
