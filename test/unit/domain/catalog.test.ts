import * as path from 'node:path';
import { catalogEntries, sluiceCatalog } from '../../../lambdas/domain/catalog';
import { jsonSchemaOf } from '../../../lambdas/shared/catalog-json-schema';
import { renderCatalogMarkdown } from '../../../lambdas/shared/catalog-markdown';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { readGoldenFile } from '../../helpers/golden-file';

const DOC = path.resolve(__dirname, '../../../docs/event-catalog.md');
const INTRO = `Every event type and version sluice knows, generated from \`catalogEntries()\` in
\`lambdas/domain/catalog.ts\`. Events are immutable: a schema change adds a new version and an upcaster
from the old one, so stored history keeps folding. Consumers (fold, projector, notifier, state
transfer, replay) only ever see **current** versions: the catalog upcasts older ones on read.
How to add a version: [consumers.md](consumers.md#schema-evolution).`;

describe('sluiceCatalog', () => {
  it('lists every account and card event type by kind', () => {
    expect(sluiceCatalog.types('domain')).toEqual([
      'sluice.account.deposited.v1',
      'sluice.account.deposited.v2',
      'sluice.account.opened.v1',
      'sluice.account.withdrawn.v1',
    ]);
    expect(sluiceCatalog.types('integration')).toEqual(['sluice.account.state-changed.v1', 'sluice.card.fraud-suspected.v1']);
    expect(sluiceCatalog.types('telemetry')).toEqual(['sluice.card.swiped.v1']);
  });

  it('partitions account events by accountId', () => {
    expect(sluiceCatalog.partitionKey('sluice.account.deposited.v2', { accountId: 'a1', amount: 5, channel: 'api' }, 'other')).toBe('a1');
  });

  it.each([
    ['sluice.account.opened.v1', { accountId: 'a1', owner: 'Ada', currency: 'eur' }, 'data.currency'],
    ['sluice.account.deposited.v1', { accountId: 'a1', amount: 0 }, 'data.amount'],
    ['sluice.account.deposited.v2', { accountId: 'a1', amount: 5, channel: 'cash' }, 'data.channel'],
    ['sluice.account.deposited.v2', { accountId: 'a1', amount: 5, channel: 'api', reference: '' }, 'data.reference'],
    ['sluice.account.withdrawn.v1', { accountId: 'a1', amount: 2.5 }, 'data.amount'],
    [
      'sluice.account.state-changed.v1',
      { accountId: 'a1', owner: 'A', currency: 'EUR', balance: -1, version: 1, openedAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' },
      'data.balance',
    ],
  ])('rejects invalid %s data, naming %s', (type, data, field) => {
    const envelope = createEnvelope({ type, source: 'sluice/accounts', subject: 'a1', data });

    expect(() => sluiceCatalog.parse(envelope)).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field })] }));
  });

  describe('schema evolution of sluice.account.deposited', () => {
    it('upcasts a stored v1 deposit to v2 with channel "unknown" and no reference, keeping the envelope', () => {
      const v1 = createEnvelope({
        type: 'sluice.account.deposited.v1',
        source: 'sluice/accounts',
        subject: 'a1',
        data: { accountId: 'a1', amount: 700 },
        streamversion: 2,
      });

      const event = sluiceCatalog.parse(v1);

      expect(event).toEqual({ ...v1, type: 'sluice.account.deposited.v2', data: { accountId: 'a1', amount: 700, channel: 'unknown' } });
    });

    it('keeps a v2 deposit as written', () => {
      const data = { accountId: 'a1', amount: 5, reference: 'invoice 42', channel: 'api' };
      const v2 = createEnvelope({ type: 'sluice.account.deposited.v2', source: 'sluice/accounts', subject: 'a1', data });

      expect(sluiceCatalog.parse(v2).data).toEqual(data);
    });

    it('names v2 the current deposited type', () => {
      expect(sluiceCatalog.currentType('sluice.account.deposited')).toBe('sluice.account.deposited.v2');
    });
  });
});

describe('catalogEntries', () => {
  const entries = catalogEntries();

  it('lists every registered type once, with its version and kind', () => {
    expect(entries.map((entry) => entry.type)).toEqual(sluiceCatalog.types());
    for (const entry of entries) expect(entry.type).toBe(`${entry.name}.v${entry.version}`);
  });

  it.each(catalogEntries().map((entry) => [entry.type, entry] as const))('%s has a description and an object schema with fields', (_type, entry) => {
    expect(entry.description.trim().length).toBeGreaterThan(20);
    expect(jsonSchemaOf(entry)).toMatchObject({ type: 'object', properties: expect.any(Object), required: expect.any(Array) });
    expect(Object.keys(jsonSchemaOf(entry).properties as object).length).toBeGreaterThan(0);
  });

  it('has exactly one current version per type name, and every old version leads to it', () => {
    const names = new Set(entries.map((entry) => entry.name));
    for (const name of names) {
      const versions = entries.filter((entry) => entry.name === name);
      expect(versions.filter((entry) => entry.current)).toHaveLength(1);
      for (const old of versions.filter((entry) => !entry.current)) expect(old.upcastsTo).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\.v`));
    }
  });

  // UPDATE_EVENT_CATALOG=1 rewrites the page first, except in CI (CI=true), where this test fails instead.
  it('is what docs/event-catalog.md shows', () => {
    const rendered = renderCatalogMarkdown(entries, INTRO);

    expect(readGoldenFile(DOC, rendered, 'UPDATE_EVENT_CATALOG')).toBe(rendered);
  });
});
