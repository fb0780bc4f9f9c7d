import { checkFeedFilter, FeedFilterError, isEmptyFilter, matchesFeedFilter } from '../../../cli/event-filter';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const deposit = {
  type: 'sluice.account.deposited.v1',
  subject: 'acc-1',
  partitionkey: 'acc-1',
  traceparent: `00-${TRACE}-00f067aa0ba902b7-01`,
  data: { accountId: 'acc-1', amount: 5 },
};
const swipe = { type: 'sluice.card.swiped.v1', subject: 'card-9', partitionkey: 'card-9', data: { cardId: 'card-9', accountId: 'acc-1' } };

describe('matchesFeedFilter', () => {
  it('matches everything without filters', () => {
    expect(matchesFeedFilter(deposit, {})).toBe(true);
    expect(isEmptyFilter({})).toBe(true);
  });

  it('matches type and subject exactly', () => {
    expect(matchesFeedFilter(deposit, { type: 'sluice.account.deposited.v1' })).toBe(true);
    expect(matchesFeedFilter(deposit, { type: 'sluice.account.withdrawn.v1' })).toBe(false);
    expect(matchesFeedFilter(deposit, { subject: 'acc-1' })).toBe(true);
    expect(matchesFeedFilter(deposit, { subject: 'acc-2' })).toBe(false);
  });

  it('matches an account by subject, partition key or the account a swipe names', () => {
    expect(matchesFeedFilter(deposit, { account: 'acc-1' })).toBe(true);
    expect(matchesFeedFilter({ ...deposit, subject: 'x' }, { account: 'acc-1' })).toBe(true);
    expect(matchesFeedFilter(swipe, { account: 'acc-1' })).toBe(true);
    expect(matchesFeedFilter(swipe, { account: 'acc-2' })).toBe(false);
  });

  it('matches a trace by trace id or whole traceparent, never an event without one', () => {
    expect(matchesFeedFilter(deposit, { trace: TRACE })).toBe(true);
    expect(matchesFeedFilter(deposit, { trace: `00-${TRACE}-1111111111111111-00` })).toBe(true);
    expect(matchesFeedFilter(deposit, { trace: 'f'.repeat(32) })).toBe(false);
    expect(matchesFeedFilter(swipe, { trace: TRACE })).toBe(false);
  });

  it('needs every given filter to match', () => {
    expect(matchesFeedFilter(deposit, { account: 'acc-1', type: 'sluice.account.deposited.v1', trace: TRACE })).toBe(true);
    expect(matchesFeedFilter(deposit, { account: 'acc-1', type: 'sluice.card.swiped.v1' })).toBe(false);
  });
});

describe('checkFeedFilter', () => {
  it('refuses a trace that is neither a trace id nor a traceparent, naming it', () => {
    expect(() => checkFeedFilter({ trace: 'nope' })).toThrow(FeedFilterError);
    expect(() => checkFeedFilter({ trace: 'nope' })).toThrow(/"nope"/);
    expect(checkFeedFilter({ trace: TRACE })).toEqual({ trace: TRACE });
  });
});
