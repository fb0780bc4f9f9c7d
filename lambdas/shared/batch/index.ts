export { acceptTypes, acceptedEvent, BatchTally } from './consumer-options';
export type { ConsumerLogger, ConsumerMetrics, StreamConsumerOptions } from './consumer-options';
export { decodeKinesisEnvelope, decodeKinesisJson, decodeSqsEnvelope, parseSqsJsonBody } from './decode';
export { dynamoDbDeadLetter, divertPoison, kinesisDeadLetter, sqsDeadLetter } from './dead-letter';
export type {
  DeadLetterMessage,
  DeadLetterOptions,
  DeadLetterPort,
  DynamoDbDeadLetterRecord,
  KinesisDeadLetterRecord,
  StreamDeadLetter,
} from './dead-letter';
export {
  BatchRecordError,
  InvalidEventRecordError,
  permanentFailureReason,
  PoisonRecordError,
  SkippedAfterFailureError,
  UndecodableRecordError,
} from './errors';
export type { PoisonReason } from './errors';
export { FirstFailureGuard } from './first-failure-guard';
export { createKinesisBulkHandler } from './kinesis-bulk-handler';
export type { KinesisBulkHandlerOptions } from './kinesis-bulk-handler';
export { createKinesisEventHandler } from './kinesis-event-handler';
export type { KinesisEventHandlerOptions } from './kinesis-event-handler';
export { mapWithConcurrency } from './bounded-concurrency';
export { createKinesisGroupedHandler } from './kinesis-grouped-handler';
export type { GroupSettlement, KinesisGroupedHandlerOptions } from './kinesis-grouped-handler';
