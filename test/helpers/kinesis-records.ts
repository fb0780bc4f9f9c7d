import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { createEnvelope, type EventEnvelope, type NewEvent } from '../../lambdas/shared/envelope';

let sequence = 0;

/** A Kinesis record as an event source mapping delivers it, with any payload (base64 encoded). */
export function kinesisRecordOf(payload: string | object, partitionKey = 'pk'): KinesisStreamRecord {
  sequence += 1;
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    awsRegion: 'eu-west-1',
    eventID: `shardId-000000000000:${sequence}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/events',
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/consumer',
    kinesis: {
      approximateArrivalTimestamp: 1735732800,
      data: Buffer.from(text, 'utf8').toString('base64'),
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber: String(sequence).padStart(56, '4'),
    },
  };
}

/** A Kinesis record carrying an envelope, partitioned like the publisher would. */
export function kinesisRecordFor(envelope: EventEnvelope): KinesisStreamRecord {
  return kinesisRecordOf(envelope, envelope.partitionkey);
}

/** A Kinesis record carrying a fresh envelope built from `event`. */
export function kinesisRecordForEvent(event: NewEvent): KinesisStreamRecord {
  return kinesisRecordFor(createEnvelope(event));
}

/** An event source mapping invocation with these records. */
export function kinesisEvent(...records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** The sequence numbers a partial batch response reports as failed. */
export function failedSequenceNumbers(response: { batchItemFailures: { itemIdentifier: string }[] }): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier);
}
