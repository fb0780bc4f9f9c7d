import { matchesFeedFilter, parseFeedQuery, traceIdOf } from '../../../../local/console/api/feed-filter';
import { ConsoleRefusal } from '../../../../local/console/api/refusal';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;
const deposit = {
  id: '01J0000000000000000000000A',
  type: 'sluice.account.deposited.v2',
  subject: 'acc-1',
  traceparent: TRACEPARENT,
  data: { accountId: 'acc-1', amount: 100 },
};
const swipe = { id: '01J0000000000000000000000B', type: 'sluice.card.swiped.v1', subject: 'card-1', data: { cardId: 'card-1', accountId: 'acc-2' } };

function refusal(query: string): { status: number; message: string } {
  try {
    parseFeedQuery(new URLSearchParams(query));
  } catch (error) {
    if (error instanceof ConsoleRefusal) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error(`parseFeedQuery accepted ${query}`);
}

describe('parseFeedQuery', () => {
  it('reads every filter and the limit', () => {
    expect(parseFeedQuery(new URLSearchParams(`type=sluice.account.deposited.v2&subject=acc-1&account=acc-1&trace=${TRACE}&limit=20`))).toEqual({
      filter: { type: 'sluice.account.deposited.v2', subject: 'acc-1', account: 'acc-1', trace: TRACE },
      limit: 20,
    });
  });

  it('defaults to no filter and 100 events', () => {
    expect(parseFeedQuery(new URLSearchParams(''))).toEqual({ filter: {}, limit: 100 });
  });

  it('takes a whole traceparent as the trace filter', () => {
    expect(parseFeedQuery(new URLSearchParams(`trace=${TRACEPARENT}`)).filter.trace).toBe(TRACEPARENT);
  });

  it.each([
    ['colour=red', 'colour is not a filter of the feed'],
    ['type=a&type=b', 'type is given more than once'],
    ['type=Deposited', 'type must be an event type'],
    ['subject=%1B%5B31m', 'subject must be 1 to 256 characters of free text'],
    ['subject=', 'subject must be 1 to 256 characters of free text'],
    ['account=a%20b', 'account must be an account id'],
    ['trace=xyz', 'trace must be a trace id'],
    [`trace=${TRACE.toUpperCase()}`, 'trace must be a trace id'],
    ['limit=0', 'limit must be a whole number from 1 to 500'],
    ['limit=501', 'limit must be a whole number from 1 to 500'],
    ['limit=1e2', 'limit must be a whole number from 1 to 500'],
  ])('refuses %s with a 400 naming the field', (query, message) => {
    const { status, message: said } = refusal(query);
    expect(status).toBe(400);
    expect(said).toContain(message);
  });
});

describe('matchesFeedFilter', () => {
  it.each([
    [{}, true, true],
    [{ type: 'sluice.account.deposited.v2' }, true, false],
    [{ subject: 'card-1' }, false, true],
    [{ account: 'acc-1' }, true, false],
    [{ account: 'acc-2' }, false, true],
    [{ trace: TRACE }, true, false],
    [{ trace: TRACEPARENT.replace('00f067aa0ba902b7', '1111111111111111') }, true, false],
    [{ trace: 'ffffffffffffffffffffffffffffffff' }, false, false],
    [{ type: 'sluice.account.deposited.v2', account: 'acc-2' }, false, false],
  ])('filter %j → deposit %p, swipe %p', (filter, depositMatches, swipeMatches) => {
    expect([matchesFeedFilter(deposit, filter), matchesFeedFilter(swipe, filter)]).toEqual([depositMatches, swipeMatches]);
  });
});

describe('traceIdOf', () => {
  it.each([
    [TRACE, TRACE],
    [TRACEPARENT, TRACE],
    ['not-a-trace', undefined],
    [undefined, undefined],
  ])('%p → %p', (value, expected) => {
    expect(traceIdOf(value)).toBe(expected);
  });
});
