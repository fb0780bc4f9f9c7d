import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { TraceAnswer } from '../../local/console/contract';
import { api } from './support/http';
import { storedEvents, uniqueId } from './support/accounts';
import { eventually } from './support/eventually';
import { functionLogEntries } from './support/function-log';
import { isExternalTarget, waitSettled } from './support/settled';
import { clients, output } from './support/target';
import { streamEvents } from './support/stream';
import { ndjson, sluice } from './cli/run-cli';

/** A fresh traceparent, as a client that traces its own requests sends it. */
function newTraceparent(): { traceparent: string; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}

const FRAUD_SUSPECTED = 'sluice.card.fraud-suspected.v1';

/**
 * One traceparent from the API to the replica (docs/tracing.md): the request's header is stored
 * with the event, relayed, carried by the consumers and the SQS hops, answered in the response,
 * written in the functions' log lines, and `sluice trace` finds every hop from it.
 */
describe('end-to-end trace context', () => {
  const accountId = uniqueId('trace');
  const deposit = newTraceparent();
  let depositEventId: string;

  beforeAll(async () => {
    expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
    const response = await api('POST', `/accounts/${accountId}/deposits`, { amount: 500 }, { traceparent: deposit.traceparent });
    expect(response.status).toBe(201);
    expect(response.headers.get('traceparent')).toBe(deposit.traceparent);
    await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } })),
      until: (r) => r.Item?.version === 2,
      what: 'replica at the deposit',
    });
    depositEventId = (await storedEvents(accountId))[1].eventId;
  });

  it('stores the request traceparent with the event, unchanged, and relays it onto the stream', async () => {
    const stored = await storedEvents(accountId);
    expect(stored[1].metadata.traceparent).toBe(deposit.traceparent);
    // The open account request carried none: the API started a trace of its own for it.
    expect(stored[0].metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(stored[0].metadata.traceparent).not.toBe(deposit.traceparent);
    const onStream = (await streamEvents(output('EventsStreamName'))).find((event) => event.id === depositEventId);
    expect(onStream?.traceparent).toBe(deposit.traceparent);
  });

  it('carries it through state transfer (SQS message attribute) to the replica', async () => {
    const { Item } = await clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } }));
    expect(Item).toMatchObject({ version: 2, traceparent: deposit.traceparent });
  });

  it('answers an invalid traceparent header with a new trace (W3C: ignore it, restart)', async () => {
    // An account of its own: the deposit's account must stay at its version for the replica hop below.
    const response = await api(
      'POST',
      '/accounts',
      { accountId: uniqueId('trace-invalid'), owner: 'Bob', currency: 'EUR' },
      {
        traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      },
    );
    expect(response.status).toBe(201);
    const answered = response.headers.get('traceparent') ?? '';
    expect(answered).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(answered).not.toContain('0'.repeat(32));
  });

  it('sluice trace (built CLI) lists the hops from the store to the replica, in order, for the trace id', async () => {
    const result = await sluice(['trace', deposit.traceId, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const answer = result.json<TraceAnswer>();
    expect(answer).toMatchObject({ id: deposit.traceId, traceId: deposit.traceId, eventIds: [depositEventId] });
    const hops = answer.hops.map((hop) => hop.hop);
    expect(hops).toEqual(expect.arrayContaining(['append', 'stream', 'projector', 'worker', 'replica']));
    // In pipeline order: the store, then the stream, then what the consumers wrote.
    expect(hops.indexOf('append')).toBe(0);
    expect(hops.indexOf('stream')).toBeLessThan(hops.indexOf('projector'));
    expect(hops.indexOf('stream')).toBeLessThan(hops.indexOf('replica'));
    expect(answer.hops[0].latencyMs).toBeNull();
    for (const hop of answer.hops.slice(1)) expect(hop.latencyMs).toBe(Date.parse(hop.at) - Date.parse(answer.hops[answer.hops.indexOf(hop) - 1].at));

    const byEvent = await sluice(['trace', depositEventId]);
    expect(byEvent.code).toBe(0);
    expect(byEvent.stdout.split('\n')[0]).toBe(`event ${depositEventId} in trace ${deposit.traceId} (1 event: ${depositEventId})`);
    expect(byEvent.stdout).toMatch(/ replica +replica \(replicatedAt\)/);
  });

  it('sluice trace says what it looked for when nothing carries the id (exit 1)', async () => {
    const result = await sluice(['trace', newTraceparent().traceId]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no event in the event store or on the events stream has the trace id/);
  });

  (isExternalTarget() ? it.skip : it)('writes the traceparent and the event id in the command function’s log lines', async () => {
    const line = await eventually(
      async () => functionLogEntries('command').find((entry) => entry.traceparent === deposit.traceparent && entry.message === 'command applied'),
      (entry) => entry !== undefined,
      { what: 'the command log line of the deposit' },
    );
    expect(line).toMatchObject({ eventId: depositEventId, correlation_id: deposit.traceId });
  });

  describe('a card swipe burst', () => {
    const cardId = uniqueId('trace-card');
    const swipes = newTraceparent();
    const other = newTraceparent();

    beforeAll(async () => {
      const start = Date.now();
      const events = Array.from({ length: 7 }, (_, i) => ({
        type: 'sluice.card.swiped.v1',
        source: 'pos/integration',
        subject: cardId,
        data: { cardId, accountId, amount: 100 + i, merchant: `shop ${i}`, country: 'FR', at: new Date(start + i * 1000).toISOString() },
      }));
      const response = await api('POST', '/events', { events }, { traceparent: swipes.traceparent });
      expect(response.status).toBe(202);
      expect(response.headers.get('traceparent')).toBe(swipes.traceparent);
      const lone = { ...events[0], subject: `${cardId}-other`, data: { ...events[0].data, cardId: `${cardId}-other` } };
      expect((await api('POST', '/events', lone, { traceparent: other.traceparent })).status).toBe(202);
      await waitSettled({
        probe: async () => (await streamEvents(output('EventsStreamName'))).filter((e) => e.type === FRAUD_SUSPECTED && e.subject === cardId),
        until: (alerts) => alerts.length > 0,
        what: 'FraudSuspected for the card',
      });
    });

    it('the fraud alert carries the traceparent of the swipes that raised it', async () => {
      const alerts = (await streamEvents(output('EventsStreamName'))).filter((e) => e.type === FRAUD_SUSPECTED && e.subject === cardId);
      expect(alerts.map((alert) => alert.traceparent)).toEqual([swipes.traceparent]);
    });

    it('sluice tail --trace / --account / --type / --subject print only the matching events', async () => {
      const tail = async (...filters: string[]) => {
        const result = await sluice(['tail', '--trim-horizon', '--no-follow', '--json', ...filters]);
        expect(result.code).toBe(0);
        return ndjson(result.stdout).map((row) => row.event);
      };
      const traced = await tail('--trace', swipes.traceparent);
      expect(traced.map((event) => event.type).sort()).toEqual([...Array(7).fill('sluice.card.swiped.v1'), FRAUD_SUSPECTED].sort());
      expect(new Set(traced.map((event) => event.traceparent))).toEqual(new Set([swipes.traceparent]));

      const alertsOfAccount = await tail('--account', accountId, '--type', FRAUD_SUSPECTED);
      expect(alertsOfAccount.map((event) => event.subject)).toEqual([cardId]);

      const otherCard = await tail('--subject', `${cardId}-other`, '--trace', other.traceId);
      expect(otherCard.map((event) => event.traceparent)).toEqual([other.traceparent]);
      expect(await tail('--subject', `${cardId}-other`, '--trace', swipes.traceId)).toEqual([]);

      const depositType = (await storedEvents(accountId))[1].type;
      const deposits = await tail('--account', accountId, '--type', depositType);
      expect(deposits.map((event) => event.streamversion)).toEqual([2]);
    });

    it('sluice tail refuses a --trace that is no trace id (exit 2, naming it)', async () => {
      const result = await sluice(['tail', '--no-follow', '--trace', 'not-a-trace']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/"not-a-trace"/);
    });
  });
});
