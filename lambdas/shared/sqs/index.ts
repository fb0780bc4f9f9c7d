export { MessageSendError } from './errors';
export { chunkMessages, SEND_MESSAGE_BATCH_LIMITS, sendMessages } from './message-sender';
export type { EntryFailure, OutgoingMessage, SendMessageBatchPort } from './message-sender';
export { SdkSendMessageBatchAdapter } from './sdk-send-message-batch-adapter';
export { deadLetterQueueFromEnv, SdkDeadLetterQueue } from './sdk-dead-letter-queue';
