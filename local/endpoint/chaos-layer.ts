/**
 * The chaos layer: where the endpoint applies the fault rules (chaos.ts) to the requests passing
 * through it, holding a request for a rule's latency and answering a rule's error in the wire
 * format of the request's protocol.
 */
import { randomUUID } from 'node:crypto';
import { faultResponse, type FaultInjector, type FaultRequest, type FaultService } from './chaos';
import type { HttpAnswer } from './sqs-query';

export class ChaosLayer {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly rules: FaultInjector) {}

  /** Whether any rule names the service: only then must a request's body be buffered to be matched. */
  targets(service: FaultService): boolean {
    return this.rules.targets(service);
  }

  /**
   * Applies the first matching rule: waits its latency, then returns its error as an answer, or
   * undefined when the request must go on (no rule matched, or a latency-only rule).
   *
   * @param queryProtocol whether an SQS error must be the query protocol's XML
   */
  async apply(request: FaultRequest, queryProtocol: boolean): Promise<HttpAnswer | undefined> {
    const decision = this.rules.decide(request);
    if (decision) await this.sleep(decision.latencyMs);
    if (decision?.kind !== 'error') return undefined;
    return faultResponse(request.service, decision.error, randomUUID(), queryProtocol);
  }

  /** Drops the held requests' timers: a request still held when the endpoint stops is never answered. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (ms <= 0) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
