import type { EventEnvelope } from '../../shared/envelope';
import type { CardFraudSuspectedV1 } from './events';
import type { CardWindow } from './fraud-window';

/** A card's window as stored, with the revision that guards against concurrent writers. */
export interface StoredCardWindow {
  readonly window: CardWindow;
  /** 0 when the card has no stored window yet; +1 per save. */
  readonly revision: number;
}

/** Where per-card windows live between batches (the fraud windows table). */
export interface FraudWindowStore {
  /** The card's window, or an empty one at revision 0. */
  load(cardId: string): Promise<StoredCardWindow>;
  /**
   * Saves the window as revision `expectedRevision + 1`, only if the stored one is still at
   * `expectedRevision`; `expiresAt` (epoch seconds) lets the table forget idle cards.
   *
   * @throws {FraudWindowConflictError} when another writer saved first.
   */
  save(window: CardWindow, expectedRevision: number, expiresAt: number): Promise<void>;
}

/** Where fraud alerts go (the events stream). */
export interface FraudAlertSink {
  /** @throws when any alert was not published, so the swipe is retried. */
  publish(alerts: readonly EventEnvelope<CardFraudSuspectedV1>[]): Promise<void>;
}
