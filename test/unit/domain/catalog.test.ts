import { sluiceCatalog } from '../../../lambdas/domain/catalog';
import { createEnvelope } from '../../../lambdas/shared/envelope';

describe('sluiceCatalog', () => {
  it('lists every account and card event type by kind', () => {
    expect(sluiceCatalog.types('domain')).toEqual(['sluice.account.deposited.v1', 'sluice.account.opened.v1', 'sluice.account.withdrawn.v1']);
    expect(sluiceCatalog.types('integration')).toEqual(['sluice.account.state-changed.v1', 'sluice.card.fraud-suspected.v1']);
    expect(sluiceCatalog.types('telemetry')).toEqual(['sluice.card.swiped.v1']);
  });

  it('partitions account events by accountId', () => {
    expect(sluiceCatalog.partitionKey('sluice.account.deposited.v1', { accountId: 'a1', amount: 5 }, 'other')).toBe('a1');
  });

  it.each([
    ['sluice.account.opened.v1', { accountId: 'a1', owner: 'Ada', currency: 'eur' }, 'data.currency'],
    ['sluice.account.deposited.v1', { accountId: 'a1', amount: 0 }, 'data.amount'],
    ['sluice.account.withdrawn.v1', { accountId: 'a1', amount: 2.5 }, 'data.amount'],
    ['sluice.account.state-changed.v1', { accountId: 'a1', owner: 'A', currency: 'EUR', balance: -1, version: 1, openedAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' }, 'data.balance'],
  ])('rejects invalid %s data, naming %s', (type, data, field) => {
    const envelope = createEnvelope({ type, source: 'sluice/accounts', subject: 'a1', data });

    expect(() => sluiceCatalog.parse(envelope)).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field })] }));
  });
});
