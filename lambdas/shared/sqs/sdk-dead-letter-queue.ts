import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterMessage, DeadLetterPort } from '../batch/dead-letter';
import { getSqsClient } from '../clients';
import { SHARED_ENV } from '../environment';

/**
 * {@link DeadLetterPort} over the AWS SDK: one SendMessage to the consumer's DLQ (`DLQ_URL`).
 *
 * @example
 * const queue = new SdkDeadLetterQueue(getSqsClient(), requireEnv('DLQ_URL'));
 */
export class SdkDeadLetterQueue implements DeadLetterPort {
  public constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  public async send(message: DeadLetterMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: message.body,
        MessageAttributes: Object.fromEntries(
          // SQS refuses empty attribute values.
          Object.entries(message.attributes)
            .filter(([, value]) => value !== '')
            .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
    );
  }
}

/**
 * The consumer's DLQ from `DLQ_URL`, or `undefined` when the variable is unset (an older stack):
 * poison records then fail and reach the mapping's failure destination as before, never dropped.
 */
export function deadLetterQueueFromEnv(env: NodeJS.ProcessEnv = process.env): DeadLetterPort | undefined {
  const url = env[SHARED_ENV.dlqUrl];
  return url ? new SdkDeadLetterQueue(getSqsClient(), url) : undefined;
}
