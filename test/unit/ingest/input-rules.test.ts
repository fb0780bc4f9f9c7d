import { sluiceCatalog } from '../../../lambdas/domain/catalog';
import { ingestEvents, type IngestDeps } from '../../../lambdas/ingest/handler';
import { logger } from '../../../lambdas/shared/observability';
import { swipedData } from '../../helpers/card-swipes';
import { FakeEventPublisher } from '../../helpers/fake-event-publisher';

const NOW = new Date('2025-01-01T12:30:00.000Z');
const ID = '01JGQ0000000000000000000AB';

beforeAll(() => logger.setLogLevel('SILENT'));

function swipe(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return { type: 'sluice.card.swiped.v1', source: 'pos/terminal-7', subject: 'card-1', data: swipedData(data), ...overrides };
}

function setup() {
  const publisher = new FakeEventPublisher();
  const deps: IngestDeps = { publisher, catalog: sluiceCatalog, now: () => NOW };
  const post = async (body: unknown, contentType = 'application/json') => {
    const response = await ingestEvents(
      { body: typeof body === 'string' ? body : JSON.stringify(body), isBase64Encoded: false, headers: { 'Content-Type': contentType } },
      deps,
    );
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };
  return { publisher, post };
}

describe('POST /events input rules', () => {
  it('answers 415 for a text/plain body and publishes nothing', async () => {
    const { publisher, post } = setup();
    const { status, body } = await post(swipe(), 'text/plain');
    expect(status).toBe(415);
    expect(body.error).toBe('unsupported_media_type');
    expect(publisher.published).toEqual([]);
  });

  it.each([
    ['an unknown envelope field', swipe({ tmie: NOW.toISOString() }), '(root)'],
    ['an unknown data field', swipe({}, { cvv: '123' }), 'data'],
    ['an unknown batch field', { events: [swipe()], dryRun: true }, '(root)'],
  ])('refuses %s with 400', async (_, request, field) => {
    const { publisher, post } = setup();
    const { status, body } = await post(request);
    expect(status).toBe(400);
    expect(body.details).toEqual([expect.objectContaining({ field })]);
    expect(publisher.published).toEqual([]);
  });

  it.each([
    ['time', swipe({ time: '1969-07-20T20:17:00Z' }), 'time'],
    ['time', swipe({ time: '9999-12-31T23:59:59Z' }), 'time'],
    ['time', swipe({ time: '2024-12-24T12:00:00Z' }), 'time'],
    ['data.at', swipe({}, { at: '9999-12-31T00:00:00Z' }), 'data.at'],
    ['data.at', swipe({}, { at: '1900-01-01T00:00:00Z' }), 'data.at'],
    ['data.at', { events: [swipe(), swipe({}, { at: '2025-01-01T12:40:00Z' })] }, 'events.1.data.at'],
  ])('answers 400 naming %s for an event time outside [now − 7 days, now + 5 minutes]', async (_, request, field) => {
    const { publisher, post } = setup();
    const { status, body } = await post(request);
    expect(status).toBe(400);
    expect(body.details).toEqual([expect.objectContaining({ field, message: expect.stringContaining('must lie between') })]);
    expect(publisher.published).toEqual([]);
  });

  it.each([
    ['source', 'pos\u0000'],
    ['subject', 'card\u202E1'],
  ])('refuses control or bidi characters in %s', async (field, value) => {
    const { post } = setup();
    const { status, body } = await post(swipe({ [field]: value }));
    expect(status).toBe(400);
    expect(body.details).toEqual([expect.objectContaining({ field })]);
  });

  it('refuses a bidi override in the merchant', async () => {
    const { post } = setup();
    const { status, body } = await post(swipe({}, { merchant: 'Coffee \u202Eeerf' }));
    expect(status).toBe(400);
    expect(body.details).toEqual([expect.objectContaining({ field: 'data.merchant' })]);
  });

  it('publishes the first event of a repeated id and lists the others as duplicate_id, by request index', async () => {
    const { publisher, post } = setup();

    const { status, body } = await post({ events: [swipe({ id: ID }), swipe(), swipe({ id: ID }), swipe({ id: ID })] });

    expect(status).toBe(202);
    expect(publisher.published).toHaveLength(2);
    expect(body.accepted).toEqual([{ id: ID }, { id: publisher.published[1].id }]);
    expect(body.failed).toEqual([
      { index: 2, error: 'duplicate_id', message: expect.stringContaining('event 0') },
      { index: 3, error: 'duplicate_id', message: expect.stringContaining('event 0') },
    ]);
  });
});
