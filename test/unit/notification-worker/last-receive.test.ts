import { isLastReceive, maxReceiveCountFromEnv } from '../../../lambdas/notification-worker/last-receive';

/** A record as far as the decision reads it. */
const receivedTimes = (count: string) => ({ attributes: { ApproximateReceiveCount: count } }) as Parameters<typeof isLastReceive>[0];

describe('isLastReceive', () => {
  it("is the last receive from the queue's maxReceiveCount on, not before", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => isLastReceive(receivedTimes(String(n)), 5))).toEqual([false, false, false, false, true, true]);
  });

  it('is every receive when the queue allows one', () => {
    expect(isLastReceive(receivedTimes('1'), 1)).toBe(true);
  });

  it("never is without a maxReceiveCount (SQS's redrive alone decides) or without a readable count", () => {
    expect(isLastReceive(receivedTimes('99'), undefined)).toBe(false);
    expect(isLastReceive(receivedTimes(''), 5)).toBe(false);
    expect(isLastReceive(receivedTimes('five'), 5)).toBe(false);
  });
});

describe('maxReceiveCountFromEnv', () => {
  it('reads MAX_RECEIVE_COUNT, and is undefined when it is unset', () => {
    expect(maxReceiveCountFromEnv({ MAX_RECEIVE_COUNT: '5' })).toBe(5);
    expect(maxReceiveCountFromEnv({})).toBeUndefined();
  });

  it('refuses a count that is not a positive integer, naming the value', () => {
    expect(() => maxReceiveCountFromEnv({ MAX_RECEIVE_COUNT: '0' })).toThrow(/MAX_RECEIVE_COUNT must be a positive integer \(got "0"\)/);
  });
});
