import type { AccountEvent } from '../../lambdas/domain/accounts';
import { CARD_EVENT_TYPES, FRAUD_DETECTOR_SOURCE, type CardFraudSuspectedV1 } from '../../lambdas/domain/cards';
import { createEnvelope, type EventEnvelope } from '../../lambdas/shared/envelope';
import { storedEventToEnvelope } from '../../lambdas/shared/event-store';
import { toStored } from './account-events';

/** The envelope an account event travels in on the stream (as the outbox relay publishes it). */
export function accountEnvelope(event: AccountEvent): EventEnvelope {
  return storedEventToEnvelope(toStored(event));
}

/** A `sluice.card.fraud-suspected.v1` envelope for `acc-1`'s card. */
export function fraudEnvelope(overrides: Partial<CardFraudSuspectedV1> = {}): EventEnvelope<CardFraudSuspectedV1> {
  const data: CardFraudSuspectedV1 = {
    cardId: 'card-1',
    accountId: 'acc-1',
    reason: 'velocity',
    windowSeconds: 300,
    swipeIds: ['s1', 's2', 's3', 's4', 's5', 's6'],
    detectedAt: '2025-01-01T12:00:00.000Z',
    ...overrides,
  };
  return createEnvelope({
    type: CARD_EVENT_TYPES.fraudSuspected,
    source: FRAUD_DETECTOR_SOURCE,
    subject: data.cardId,
    data,
    time: data.detectedAt,
    partitionkey: data.cardId,
  });
}
