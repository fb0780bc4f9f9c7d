import type { EventEnvelope } from '../../lambdas/shared/envelope';
import type { EventPublisher, PublishResult } from '../../lambdas/shared/kinesis';

/** In-memory {@link EventPublisher}: keeps what it was given and fails the envelopes a rule picks. */
export class FakeEventPublisher implements EventPublisher {
  public readonly published: EventEnvelope[] = [];

  public constructor(private readonly fail: (envelope: EventEnvelope, index: number) => string | undefined = () => undefined) {}

  public async publish(envelopes: readonly EventEnvelope[]): Promise<PublishResult[]> {
    return envelopes.map((envelope, index): PublishResult => {
      const code = this.fail(envelope, index);
      if (code) return { ok: false, index, id: envelope.id, error: { code, message: `${code} (fake)` } };
      this.published.push(envelope);
      return { ok: true, index, id: envelope.id, sequenceNumber: String(this.published.length), shardId: 'shardId-000000000000' };
    });
  }
}
