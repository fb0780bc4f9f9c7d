import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { CliContext } from './context';
import { UsageError } from './errors';

/**
 * A queue URL from an output name (`NotificationsDlqUrl`, with or without the `Url` suffix) or a URL.
 *
 * @throws {UsageError} naming the queue outputs there are.
 */
export function resolveQueueUrl(ctx: CliContext, nameOrUrl: string): string {
  if (/^https?:\/\//.test(nameOrUrl)) return nameOrUrl;
  const values = ctx.outputs.values;
  const candidates = [nameOrUrl, `${nameOrUrl}Url`];
  for (const name of candidates) if (values[name]) return values[name];
  const queues = Object.keys(values).filter((key) => key.endsWith('QueueUrl') || key.endsWith('DlqUrl'));
  throw new UsageError(`no queue output ${nameOrUrl} in ${ctx.outputs.file}; use a queue URL or one of ${queues.join(', ')}`);
}

/** A queue's own message counts (its approximate attributes), whatever a receive can show. */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<QueueCounts> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** How long a peek hides the messages it has read, so the next receive returns others; they are made visible again right after. */
const PEEK_HIDE_SECONDS = 30;
/** One receive returns at most 10 messages; this many receives bound a peek (10,000 messages). */
const PEEK_MAX_RECEIVES = 1000;

/**
 * Every message visible in a queue, read without consuming it: received (hidden meanwhile) until
 * the queue returns no more, then made visible again at once. A receive with a zero visibility
 * timeout would return the same first messages again and again, so a queue holding more than one
 * receive's worth would look smaller than it is.
 *
 * Each peek counts as a receive towards the queue's `maxReceiveCount`. A FIFO queue returns no
 * more messages of a group while one of them is hidden, so a peek lists the first messages of each
 * group (up to ten per receive); `queueCounts` still gives the true totals.
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, options: { readonly limit?: number } = {}): Promise<Message[]> {
  const taken = new Map<string, Message>();
  try {
    for (let receives = 0; receives < PEEK_MAX_RECEIVES; receives++) {
      if (options.limit !== undefined && taken.size >= options.limit) break;
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: PEEK_HIDE_SECONDS,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((message) => !taken.has(message.MessageId!));
      if (fresh.length === 0) break;
      for (const message of fresh) taken.set(message.MessageId!, message);
    }
  } finally {
    await makeVisible(sqs, queueUrl, [...taken.values()]);
  }
  return [...taken.values()].slice(0, options.limit);
}

/** Makes received messages visible again at once (batches of 10). */
export async function makeVisible(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.slice(i, i + 10).map((message, j) => ({ Id: String(j), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/**
 * Takes each message of a queue once during one run (`redrive`): a message is hidden while it is
 * worked on and deleted when it has moved; every message not deleted (it failed, was skipped, or
 * lay beyond `--limit`) stays hidden until `release()` makes them all visible again at once, so a
 * later receive of the same run cannot return it again and the next run sees it.
 */
export class ReceiveOnce {
  /** Received and not deleted, by id, with the latest receipt handle. */
  private readonly held = new Map<string, Message>();

  public constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly visibilityTimeoutSeconds: number,
  ) {}

  /** The next messages this run has not received yet; empty once the queue has no more. */
  public async next(): Promise<Message[]> {
    for (;;) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: this.visibilityTimeoutSeconds,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return [];
      const fresh = Messages.filter((message) => !this.held.has(message.MessageId!));
      // A held message came back (its visibility timeout ran out): it is hidden again by this receive.
      for (const message of Messages) this.held.set(message.MessageId!, message);
      if (fresh.length) return fresh;
    }
  }

  /** Deletes a message that has moved. */
  public async delete(message: Message): Promise<void> {
    const current = this.held.get(message.MessageId!) ?? message;
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: current.ReceiptHandle! }));
    this.held.delete(message.MessageId!);
  }

  /** Makes every message received and not deleted visible again. */
  public async release(): Promise<void> {
    const left = [...this.held.values()];
    this.held.clear();
    await makeVisible(this.sqs, this.queueUrl, left);
  }
}
