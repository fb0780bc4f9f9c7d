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
