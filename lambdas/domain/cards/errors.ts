import { SluiceError } from '../../shared/errors';

/** Base class for errors of the card domain. */
export class CardError extends SluiceError {
  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'CardError';
  }
}

/** A swipe was offered to another card's window: a wiring bug, never a data problem. */
export class CardWindowMismatchError extends CardError {
  public readonly windowCardId: string;
  public readonly swipeCardId: string;

  public constructor(windowCardId: string, swipeCardId: string) {
    super('card_window_mismatch', `a swipe of card ${swipeCardId} was offered to the window of card ${windowCardId}`);
    this.name = 'CardWindowMismatchError';
    this.windowCardId = windowCardId;
    this.swipeCardId = swipeCardId;
  }
}

/**
 * Another writer saved the card's window since it was loaded (revision moved on).
 *
 * The swipe's record fails and is retried against the fresh window; a swipe that writer already
 * counted is then recognised as a duplicate.
 */
export class FraudWindowConflictError extends CardError {
  public readonly cardId: string;
  public readonly expectedRevision: number;

  public constructor(cardId: string, expectedRevision: number, options?: ErrorOptions) {
    super('fraud_window_conflict', `the fraud window of card ${cardId} is no longer at revision ${expectedRevision}; reload it and retry`, options);
    this.name = 'FraudWindowConflictError';
    this.cardId = cardId;
    this.expectedRevision = expectedRevision;
  }
}
