import type { FeedEvent } from '../../../../local/console/contract';
import { ruleFromDraft } from '../../../../local/console/ui/fault-draft';
import { accountOf, feedQuery, mergeFeed } from '../../../../local/console/ui/feed-filter';
import { shortName, storeStreamId } from '../../../../local/console/ui/names';

const feedEvent = (sequenceNumber: string, arrivedAt: number, envelope: Partial<FeedEvent['envelope']> = {}): FeedEvent => ({
  envelope: { id: `e${sequenceNumber}`, type: 'sluice.account.deposited.v1', ...envelope },
  streamName: 'events',
  shardId: 'shardId-000000000000',
  sequenceNumber,
  arrivedAt,
});

describe('feedQuery', () => {
  it('puts only the filters given, trimmed, and the limit in the query', () => {
    expect(feedQuery({ type: ' sluice.account.deposited.v1 ', subject: '', account: 'a1' }, 50)).toBe('?type=sluice.account.deposited.v1&account=a1&limit=50');
  });

  it('is empty without filters or limit, and encodes what it puts', () => {
    expect(feedQuery({})).toBe('');
    expect(feedQuery({ subject: 'a&b=c' })).toBe('?subject=a%26b%3Dc');
  });
});

describe('accountOf', () => {
  it('reads data.accountId, else the subject', () => {
    expect(accountOf({ id: '1', type: 't', subject: 'card-1', data: { accountId: 'a1' } })).toBe('a1');
    expect(accountOf({ id: '1', type: 't', subject: 'a2', data: { amount: 1 } })).toBe('a2');
  });
});

describe('mergeFeed', () => {
  it('keeps each record once, newest first', () => {
    const merged = mergeFeed([feedEvent('1', 10), feedEvent('2', 20)], [feedEvent('3', 30), feedEvent('2', 20)]);
    expect(merged.map((e) => e.sequenceNumber)).toEqual(['3', '2', '1']);
  });
});

describe('ruleFromDraft', () => {
  const draft = { service: 'dynamodb' as const, operation: '', match: '', probability: '', times: '', statusCode: '', code: '', latencyMs: '' };

  it('posts only the fields given, numbers as numbers', () => {
    expect(ruleFromDraft({ ...draft, operation: ' PutItem ', times: '2', statusCode: '400', code: 'ThrottlingException' })).toEqual({
      service: 'dynamodb',
      operation: 'PutItem',
      times: 2,
      error: { statusCode: 400, code: 'ThrottlingException' },
    });
  });

  it('reads comma-separated matches as substrings that must all occur, one as a string', () => {
    expect(ruleFromDraft({ ...draft, match: 'table-a, acc-1' }).match).toEqual(['table-a', 'acc-1']);
    expect(ruleFromDraft({ ...draft, match: 'acc-1' }).match).toBe('acc-1');
    expect(ruleFromDraft({ ...draft, latencyMs: '300' })).toEqual({ service: 'dynamodb', latencyMs: 300 });
  });
});

describe('shortName', () => {
  it('drops the stack prefix and the logical id hash of a physical name', () => {
    expect(shortName('sluice-dev-stateless-ProjectorFunction325B6222')).toBe('ProjectorFunction');
    expect(shortName('sluice-dev-stateful-StateTransferQueueE6334711.fifo')).toBe('StateTransferQueue');
    expect(shortName('plain')).toBe('plain');
  });
});

describe('storeStreamId', () => {
  it('makes a bare account id its account stream, and keeps a stream id as typed', () => {
    expect(storeStreamId(' acc-1 ')).toBe('account#acc-1');
    expect(storeStreamId('account#acc-1')).toBe('account#acc-1');
    expect(storeStreamId('  ')).toBe('');
  });
});
