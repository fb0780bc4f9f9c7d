export { acceptTypes, acceptedEvent, BatchTally } from './consumer-options';
export type { ConsumerLogger, ConsumerMetrics, StreamConsumerOptions } from './consumer-options';
export { decodeKinesisEnvelope, decodeKinesisJson, decodeSqsEnvelope, parseSqsJsonBody } from './decode';
export { BatchRecordError, SkippedAfterFailureError, UndecodableRecordError } from './errors';
export { FirstFailureGuard } from './first-failure-guard';
export { createKinesisBulkHandler } from './kinesis-bulk-handler';
export type { KinesisBulkHandlerOptions } from './kinesis-bulk-handler';
export { createKinesisEventHandler } from './kinesis-event-handler';
export type { KinesisEventHandlerOptions } from './kinesis-event-handler';
