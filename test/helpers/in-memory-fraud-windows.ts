import {
  emptyCardWindow,
  FraudWindowConflictError,
  type CardFraudSuspectedV1,
  type CardWindow,
  type FraudAlertSink,
  type FraudWindowStore,
  type StoredCardWindow,
} from '../../lambdas/domain/cards';
import type { EventEnvelope } from '../../lambdas/shared/envelope';

/** In-memory {@link FraudWindowStore} with the DynamoDB adapter's revision check. */
export class InMemoryFraudWindowStore implements FraudWindowStore {
  public readonly items = new Map<string, StoredCardWindow & { expiresAt: number }>();
  /** Runs before each save's revision check: lets a test slip in a concurrent writer. */
  public beforeSave?: (cardId: string) => void;

  public async load(cardId: string): Promise<StoredCardWindow> {
    const item = this.items.get(cardId);
    return item ? { window: item.window, revision: item.revision } : { window: emptyCardWindow(cardId), revision: 0 };
  }

  public async save(window: CardWindow, expectedRevision: number, expiresAt: number): Promise<void> {
    const hook = this.beforeSave;
    this.beforeSave = undefined;
    hook?.(window.cardId);
    if ((this.items.get(window.cardId)?.revision ?? 0) !== expectedRevision) throw new FraudWindowConflictError(window.cardId, expectedRevision);
    this.items.set(window.cardId, { window, revision: expectedRevision + 1, expiresAt });
  }
}

/** Collects published alerts; can be told to fail. */
export class CollectingAlertSink implements FraudAlertSink {
  public readonly published: EventEnvelope<CardFraudSuspectedV1>[] = [];
  public failWith?: Error;

  public async publish(alerts: readonly EventEnvelope<CardFraudSuspectedV1>[]): Promise<void> {
    if (this.failWith && alerts.length > 0) throw this.failWith;
    this.published.push(...alerts);
  }
}
