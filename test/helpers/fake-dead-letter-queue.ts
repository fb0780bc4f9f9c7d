import type { DeadLetterMessage, DeadLetterPort } from '../../lambdas/shared/batch';

/** In-memory {@link DeadLetterPort}: keeps every message, or refuses them all when `broken`. */
export class FakeDeadLetterQueue implements DeadLetterPort {
  public readonly messages: DeadLetterMessage[] = [];
  public broken = false;

  public async send(message: DeadLetterMessage): Promise<void> {
    if (this.broken) throw new Error('AWS.SimpleQueueService.NonExistentQueue (fake)');
    this.messages.push(message);
  }

  /** Every message body, parsed (stream consumers send JSON dead letters). */
  public letters(): any[] {
    return this.messages.map((message) => JSON.parse(message.body));
  }
}
