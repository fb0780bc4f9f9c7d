import { z } from 'zod';
import { sluiceCatalog } from '../../../lambdas/domain/catalog';
import { ingestEvents, type IngestDeps } from '../../../lambdas/ingest/handler';
import { EventCatalog } from '../../../lambdas/shared/catalog';
import { logger } from '../../../lambdas/shared/observability';
import { jsonBody } from '../../helpers/api-requests';
import { swipedData } from '../../helpers/card-swipes';
import { FakeEventPublisher } from '../../helpers/fake-event-publisher';

const NOW = new Date('2025-01-01T12:30:00.000Z');

function swipe(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return { type: 'sluice.card.swiped.v1', source: 'pos/terminal-7', subject: 'card-1', data: swipedData(data), ...overrides };
}

function setup(fail?: ConstructorParameters<typeof FakeEventPublisher>[0]) {
  const publisher = new FakeEventPublisher(fail);
  const deps: IngestDeps = { publisher, catalog: sluiceCatalog, now: () => NOW };
  const post = async (body: unknown) => {
    const response = await ingestEvents(jsonBody(body), deps);
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };
  return { publisher, post };
}

beforeAll(() => logger.setLogLevel('SILENT'));

describe('POST /events (ingest)', () => {
  describe('accepted events', () => {
    it('publishes a single event as a CloudEvents envelope partitioned by cardId and answers 202', async () => {
      const { publisher, post } = setup();

      const { status, body } = await post(swipe({ subject: 'whatever' }));

      expect(status).toBe(202);
      expect(publisher.published).toEqual([
        expect.objectContaining({
          specversion: '1.0',
          type: 'sluice.card.swiped.v1',
          source: 'pos/terminal-7',
          subject: 'whatever',
          time: NOW.toISOString(),
          datacontenttype: 'application/json',
          partitionkey: 'card-1',
          data: swipedData(),
        }),
      ]);
      expect(body).toEqual({ accepted: [{ id: publisher.published[0].id }], failed: [] });
    });

    it('keeps the id and time the caller chose', async () => {
      const { publisher, post } = setup();
      await post(swipe({ id: '01JGQ0000000000000000000AB', time: '2025-01-01T12:00:00Z' }));
      expect(publisher.published[0]).toMatchObject({ id: '01JGQ0000000000000000000AB', time: '2025-01-01T12:00:00Z' });
    });

    it('lists events that could not be published by index, next to the accepted ones', async () => {
      const { post } = setup((_, index) => (index === 1 ? 'ProvisionedThroughputExceededException' : undefined));

      const { status, body } = await post({ events: [swipe(), swipe(), swipe()] });

      expect(status).toBe(202);
      expect(body.accepted).toHaveLength(2);
      expect(body.failed).toEqual([{ index: 1, error: 'ProvisionedThroughputExceededException', message: expect.any(String) }]);
    });
  });

  describe('validation', () => {
    it('answers 400 invalid_json for a body that is not JSON', async () => {
      const { post } = setup();
      const { status, body } = await post('{"events": [');
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_json');
    });

    it('names the bad field of a batched event, e.g. events.0.data.amount', async () => {
      const { publisher, post } = setup();

      const { status, body } = await post({ events: [swipe({}, { amount: -1 })] });

      expect(status).toBe(400);
      expect(body.error).toBe('validation_failed');
      expect(body.details).toEqual([{ field: 'events.0.data.amount', message: expect.any(String) }]);
      expect(publisher.published).toEqual([]);
    });

    it('names data fields without a prefix for a single event', async () => {
      const { post } = setup();
      const { body } = await post(swipe({}, { country: 'germany' }));
      expect(body.details.map((issue: { field: string }) => issue.field)).toContain('data.country');
    });

    it('reports the problems of every event at once and publishes none', async () => {
      const { publisher, post } = setup();

      const { status, body } = await post({ events: [swipe(), swipe({}, { amount: 0 }), swipe({ subject: '' }), swipe({}, { at: 'noon' })] });

      expect(status).toBe(400);
      expect(body.details.map((issue: { field: string }) => issue.field)).toEqual(['events.1.data.amount', 'events.2.subject', 'events.3.data.at']);
      expect(body.message).toMatch(/3 of 4 events/);
      expect(publisher.published).toEqual([]);
    });

    it('refuses an account domain event and points to the command routes', async () => {
      const { post } = setup();

      const { status, body } = await post({
        events: [{ type: 'sluice.account.deposited.v1', source: 'me', subject: 'acc-1', data: { accountId: 'acc-1', amount: 100 } }],
      });

      expect(status).toBe(400);
      expect(body.details).toEqual([{ field: 'events.0.type', message: expect.stringMatching(/domain event.*POST \/accounts/) }]);
    });

    it('refuses an event sluice produces itself', async () => {
      const { body } = await setup().post(swipe({ type: 'sluice.card.fraud-suspected.v1' }));
      expect(body.details[0].message).toMatch(/produced by sluice itself/);
    });

    it('refuses an unknown type, listing the accepted types', async () => {
      const { status, body } = await setup().post(swipe({ type: 'sluice.card.teleported.v1' }));
      expect(status).toBe(400);
      expect(body.details).toEqual([{ field: 'type', message: expect.stringContaining('accepts: sluice.card.swiped.v1') }]);
    });

    it.each([
      ['no events', { events: [] }],
      ['more than 500 events', { events: Array.from({ length: 501 }, () => swipe()) }],
    ])('answers 400 for a batch with %s', async (_, requestBody) => {
      const { status, body } = await setup().post(requestBody);
      expect(status).toBe(400);
      expect(body.details[0].field).toBe('events');
    });

    it('refuses an id that is not a ULID', async () => {
      const { body } = await setup().post(swipe({ id: 'my-id' }));
      expect(body.details[0].field).toBe('id');
    });
  });

  describe('size limits', () => {
    it('answers 413 for a body over 5 MiB', async () => {
      const { publisher, post } = setup();

      const { status, body } = await post('x'.repeat(5 * 1024 * 1024 + 1));

      expect(status).toBe(413);
      expect(body.error).toBe('payload_too_large');
      expect(publisher.published).toEqual([]);
    });

    it('answers 413 naming the event over 1 MiB', async () => {
      // No sluice type can grow that large (its fields are bounded); a user-registered type can.
      const catalog = new EventCatalog([{ type: 'test.blob.sent.v1', kind: 'telemetry', description: 'a blob', schema: z.object({ blob: z.string() }) }]);
      const publisher = new FakeEventPublisher();
      const blob = (bytes: number) => ({ type: 'test.blob.sent.v1', source: 's', subject: 'k', data: { blob: 'b'.repeat(bytes) } });

      const response = await ingestEvents(jsonBody({ events: [blob(10), blob(1024 * 1024)] }), { publisher, catalog, now: () => NOW });
      const body = JSON.parse(response.body);

      expect(response.statusCode).toBe(413);
      expect(body.message).toMatch(/^event 1 is \d+ bytes/);
      expect(body.details).toEqual([{ field: 'events.1', message: expect.any(String) }]);
      expect(publisher.published).toEqual([]);
    });
  });
});
