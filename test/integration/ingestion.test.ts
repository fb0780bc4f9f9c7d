import { api } from './support/http';
import { waitSettled } from './support/settled';
import { output } from './support/target';
import { streamEvents } from './support/stream';

const swipe = (cardId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'sluice.card.swiped.v1',
  source: 'pos/integration',
  subject: cardId,
  data: { cardId, accountId: 'acc-1', amount: 1250, merchant: 'Coffee Corner', country: 'DE', at: new Date().toISOString(), ...overrides },
});

describe('ingestion: POST /events → Kinesis', () => {
  it('accepts a batch, returns the ids and puts every event on the stream as a CloudEvent', async () => {
    const cardId = `card-${Date.now()}`;
    const { status, body } = await api('POST', '/events', { events: [swipe(cardId), swipe(cardId, { amount: 99 })] });
    expect(status).toBe(202);
    expect(body.failed).toEqual([]);
    expect(body.accepted).toHaveLength(2);
    const ids: string[] = body.accepted.map((a: { id: string }) => a.id);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const events = await waitSettled({
      probe: () => streamEvents(output('EventsStreamName')),
      until: (all) => ids.every((id) => all.some((e) => e.id === id)),
      what: 'ingested events on the stream',
    });
    const stored = events.find((e) => e.id === ids[1])!;
    expect(stored).toMatchObject({
      specversion: '1.0',
      type: 'sluice.card.swiped.v1',
      subject: cardId,
      partitionkey: cardId,
      datacontenttype: 'application/json',
      data: expect.objectContaining({ amount: 99 }),
    });
  });

  it('rejects a bad event with 400 naming the field, and stores nothing of the request', async () => {
    const cardId = `card-bad-${Date.now()}`;
    const { status, body } = await api('POST', '/events', { events: [swipe(cardId), swipe(cardId, { amount: -5 })] });
    expect(status).toBe(400);
    expect(body.error).toBe('validation_failed');
    expect(JSON.stringify(body.details)).toContain('events.1.data.amount');
    const events = await streamEvents(output('EventsStreamName'));
    expect(events.filter((e) => e.subject === cardId)).toEqual([]);
  });

  it('refuses account events, which only the command routes may create', async () => {
    const { status, body } = await api('POST', '/events', {
      type: 'sluice.account.deposited.v1',
      source: 'x',
      subject: 'a',
      data: { accountId: 'a', amount: 1 },
    });
    expect(status).toBe(400);
    expect(body.details).toEqual([expect.objectContaining({ field: 'type', message: expect.stringContaining('command routes') })]);
  });
});
