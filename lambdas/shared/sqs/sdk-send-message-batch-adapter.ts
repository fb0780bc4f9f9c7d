import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EntryFailure, OutgoingMessage, SendMessageBatchPort } from './message-sender';

/**
 * {@link SendMessageBatchPort} over the AWS SDK, bound to one queue URL.
 *
 * @example
 * sendMessages(new SdkSendMessageBatchAdapter(sqsClient, requireEnv('NOTIFICATIONS_QUEUE_URL')), messages)
 */
export class SdkSendMessageBatchAdapter implements SendMessageBatchPort {
  public constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  public async sendMessageBatch(messages: readonly OutgoingMessage[]): Promise<EntryFailure[]> {
    // Entry ids only need to be unique within the call; the position is the simplest such id.
    const output = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((message, position) => ({
          Id: `m${position}`,
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
          ...(message.attributes && Object.keys(message.attributes).length > 0
            ? {
                MessageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
              }
            : {}),
        })),
      }),
    );
    return (output.Failed ?? []).map((failed) => ({
      position: Number((failed.Id ?? '').slice(1)),
      code: failed.Code ?? 'unknown',
      message: failed.Message ?? failed.Code ?? 'no reason given',
      senderFault: failed.SenderFault ?? false,
    }));
  }
}
