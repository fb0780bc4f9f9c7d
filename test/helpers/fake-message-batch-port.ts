import type { EntryFailure, OutgoingMessage, SendMessageBatchPort } from '../../lambdas/shared/sqs';

/**
 * In-memory {@link SendMessageBatchPort}: keeps every call and refuses the messages a rule picks.
 */
export class FakeMessageBatchPort implements SendMessageBatchPort {
  public readonly calls: OutgoingMessage[][] = [];

  public constructor(private readonly refuse: (message: OutgoingMessage) => string | undefined = () => undefined) {}

  public async sendMessageBatch(messages: readonly OutgoingMessage[]): Promise<EntryFailure[]> {
    this.calls.push([...messages]);
    return messages.flatMap((message, position) => {
      const code = this.refuse(message);
      return code ? [{ position, code, message: `${code} (fake)`, senderFault: false }] : [];
    });
  }

  /** Every message sent, bodies parsed. */
  public sentBodies(): unknown[] {
    return this.calls.flat().map((message) => JSON.parse(message.body));
  }
}
