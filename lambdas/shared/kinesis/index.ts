export { fullJitterDelayMs, sleep } from './backoff';
export type { BackoffOptions } from './backoff';
export { assertRecordsFit, planPutRecordsBatches, PUT_RECORDS_LIMITS, recordBytes } from './batch-planner';
export type { PutRecordsEntry, PutRecordsLimits } from './batch-planner';
export { PublishFailedError, RecordTooLargeError, StreamPublishError } from './errors';
export { encodeEnvelope, KinesisPublisher, publishAll } from './publisher';
export type { EventPublisher, KinesisPublisherOptions, PublishFailure, PublishResult } from './publisher';
export type { PutRecordsEntryResult, PutRecordsPort } from './put-records-port';
export { SdkPutRecordsAdapter } from './sdk-put-records-adapter';
