import { parseFeedQuery } from '../../../../local/console/api/feed-filter';
import { ConsoleRefusal } from '../../../../local/console/api/refusal';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

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
    [`trace=${'0'.repeat(32)}`, 'trace must be a trace id'],
    ['trace=01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'trace must be a trace id'],
    ['limit=0', 'limit must be a whole number from 1 to 500'],
    ['limit=501', 'limit must be a whole number from 1 to 500'],
    ['limit=1e2', 'limit must be a whole number from 1 to 500'],
  ])('refuses %s with a 400 naming the field', (query, message) => {
    const { status, message: said } = refusal(query);
    expect(status).toBe(400);
    expect(said).toContain(message);
  });
});
