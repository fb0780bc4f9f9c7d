/**
 * The live console's routes (local/console/contract.ts) over HTTP on the local cloud: data made
 * with the real API and SDK clients, read back through the console's routes, waiting on the
 * settled signal. The page itself is tested in a browser by test/integration/console*.test.ts.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CONSOLE_ROUTES, type ConsumersAnswer, type DlqsAnswer, type EventsAnswer, type StreamAnswer, type TopologyAnswer } from '../../local/console/contract';
import { ACCOUNT_EVENT_TYPES } from '../../lambdas/domain/accounts/events';
import { depositNotification } from '../support/factories/deposit-notification';
import { TEST_ID_PREFIX } from './support/accounts';
import { api } from './support/http';
import { emptyQueue, queueDepth } from './support/queues';
import { waitSettled } from './support/settled';
import { openSse } from './support/sse';
import { clients, output, target } from './support/target';

/** The type deposits are stored and published as now. */
const DEPOSITED = ACCOUNT_EVENT_TYPES.deposited;
const endpoint = () => process.env.AWS_ENDPOINT_URL!.replace(/\/$/, '');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** GET (or another method) on a console route; the body parsed as JSON. */
async function consoleRoute<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; contentType: string | null }> {
  const response = await fetch(`${endpoint()}${path}`, init);
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // The page is HTML.
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

/** Opens an account with deposits through the API. */
async function account(name: string, deposits: number[]): Promise<string> {
  const accountId = `${TEST_ID_PREFIX}console-${name}-${run}`;
  expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
  for (const amount of deposits) expect((await api('POST', `/accounts/${accountId}/deposits`, { amount })).status).toBe(201);
  return accountId;
}

describe('console routes', () => {
  it('serves the page as HTML', async () => {
    const page = await consoleRoute(CONSOLE_ROUTES.page);
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.body).toContain('<html');
  });

  it('draws the topology of the template with live counts', async () => {
    const accountId = await account('topology', [100]);
    await waitSettled();
    const { status, body } = await consoleRoute<TopologyAnswer>(CONSOLE_ROUTES.topology);
    expect(status).toBe(200);
    const outputs = target().outputs;
    const functionNames = Object.entries(outputs)
      .filter(([name]) => /^(?!ExportsOutput)[A-Za-z]+FunctionName$/.test(name))
      .map(([, value]) => value);
    expect(functionNames.length).toBeGreaterThan(3);
    expect(body.functions.map((fn) => fn.name)).toEqual(expect.arrayContaining(functionNames));
    const projector = body.functions.find((fn) => fn.name === outputs.ProjectorFunctionName)!;
    expect(projector.invocations).toBeGreaterThan(0);
    expect(projector.inFlight).toBe(0);
    const events = body.streams.find((stream) => stream.name === outputs.EventsStreamName)!;
    expect(events.records).toBeGreaterThanOrEqual(2);
    expect(body.tables.map((table) => table.name)).toEqual(expect.arrayContaining([outputs.EventStoreTableName, outputs.BalancesTableName]));
    const dlq = body.queues.find((queue) => queue.url === outputs.NotificationsDlqUrl)!;
    const work = body.queues.find((queue) => queue.url === outputs.NotificationsQueueUrl)!;
    expect({ dlq: dlq.isDlq, work: work.isDlq }).toEqual({ dlq: true, work: false });
    const projectorMapping = body.mappings.find((mapping) => mapping.functionName === outputs.ProjectorFunctionName)!;
    expect(projectorMapping).toMatchObject({ sourceKind: 'kinesis', sourceName: outputs.EventsStreamName, enabled: true });
    expect(projectorMapping.onFailure).toBe(output('ProjectorDlqUrl').split('/').pop());
    expect(accountId).toBeDefined();
  });

  it("counts a function's failed invocation as an error", async () => {
    await waitSettled();
    const projectorNamed = (topology: TopologyAnswer) => topology.functions.find((fn) => fn.name === output('ProjectorFunctionName'))!;
    const before = projectorNamed((await consoleRoute<TopologyAnswer>(CONSOLE_ROUTES.topology)).body);
    const lambda = new LambdaClient({});
    try {
      // Not a Kinesis event: the projector's batch handler throws, a function error.
      const outcome = await lambda.send(new InvokeCommand({ FunctionName: output('ProjectorFunctionName'), Payload: Buffer.from('{"Records":"not a list"}') }));
      expect(outcome.FunctionError).toBeDefined();
    } finally {
      lambda.destroy();
    }
    const after = projectorNamed((await consoleRoute<TopologyAnswer>(CONSOLE_ROUTES.topology)).body);
    expect({ invocations: after.invocations - before.invocations, errors: after.errors - before.errors }).toEqual({ invocations: 1, errors: 1 });
  });

  it("lists the feed's envelopes newest first and filters them by account and type", async () => {
    const accountId = await account('feed', [250, 300]);
    await waitSettled();
    const mine = await consoleRoute<EventsAnswer>(`${CONSOLE_ROUTES.events}?account=${accountId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.events.map((event) => [event.envelope.type.replace(/\.v\d+$/, ''), (event.envelope.data as any).amount])).toEqual([
      ['sluice.account.deposited', 300],
      ['sluice.account.deposited', 250],
      ['sluice.account.opened', undefined],
    ]);
    expect(mine.body.events[0]).toMatchObject({ streamName: output('EventsStreamName'), shardId: expect.stringMatching(/^shardId-/) });
    const opened = await consoleRoute<EventsAnswer>(`${CONSOLE_ROUTES.events}?account=${accountId}&type=sluice.account.opened.v1&limit=5`);
    expect(opened.body.events.map((event) => (event.envelope.data as any).accountId)).toEqual([accountId]);
  });

  it('streams a posted deposit to a live client as a feed event, with counts and consumers every second', async () => {
    const accountId = await account('live', []);
    await waitSettled();
    const live = await openSse(`${endpoint()}${CONSOLE_ROUTES.live}`);
    try {
      expect(live.status).toBe(200);
      expect(live.contentType).toMatch(/^text\/event-stream/);
      const counts = await live.next((message) => message.event === 'counts');
      expect(counts.data.functions.length).toBeGreaterThan(3);
      expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 4200 })).status).toBe(201);
      const feed = await live.next(
        (message) =>
          message.event === 'feed' && message.data.envelope.type.startsWith('sluice.account.deposited.') && message.data.envelope.data.accountId === accountId,
      );
      expect(feed.data.envelope.data.amount).toBe(4200);
      const consumers = await live.next((message) => message.event === 'consumers');
      expect(consumers.data.consumers.length).toBeGreaterThan(0);
      // An open console does not keep the local cloud from settling.
      await waitSettled();
    } finally {
      live.close();
    }
  });

  it('shows every mapping caught up once settled, with checkpoints and invocation counts', async () => {
    await account('consumers', [10]);
    await waitSettled();
    const { status, body } = await consoleRoute<ConsumersAnswer>(CONSOLE_ROUTES.consumers);
    expect(status).toBe(200);
    expect(body.consumers.filter((consumer) => consumer.recordsBehind !== 0)).toEqual([]);
    const projector = body.consumers.find((consumer) => consumer.functionName === output('ProjectorFunctionName'))!;
    expect(projector.invocations).toBeGreaterThan(0);
    expect(projector.positions.some((position) => position.checkpoint !== undefined)).toBe(true);
    expect(projector.millisBehind).toBe(0);
  });

  it("folds an account's stream and compares it with its read model row", async () => {
    const accountId = await account('stream', [500, 700]);
    await waitSettled();
    const streamId = encodeURIComponent(`account#${accountId}`);
    const view = await consoleRoute<StreamAnswer>(`${CONSOLE_ROUTES.stream}${streamId}`);
    expect(view.status).toBe(200);
    expect(view.body.events.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(view.body.folded).toMatchObject({ accountId, balance: 1200, version: 3 });
    expect(view.body.readModel).toMatchObject({ accountId, balance: 1200, version: 3 });
    expect({ matches: view.body.matches, differences: view.body.differences }).toEqual({ matches: true, differences: [] });

    await clients.dynamo.send(new DeleteCommand({ TableName: output('BalancesTableName'), Key: { accountId } }));
    const broken = await consoleRoute<StreamAnswer>(`${CONSOLE_ROUTES.stream}${streamId}`);
    expect(broken.body).toMatchObject({ readModel: null, matches: false, differences: [expect.stringContaining('no row')] });
  });

  it('traces an event id the feed carries, and answers 404 for an id nothing carries', async () => {
    const accountId = await account('trace', [50]);
    await waitSettled();
    const { body: feed } = await consoleRoute<EventsAnswer>(`${CONSOLE_ROUTES.events}?account=${accountId}&type=${DEPOSITED}`);
    const eventId = feed.events[0].envelope.id;
    const trace = await consoleRoute(`${CONSOLE_ROUTES.trace}${eventId}`);
    expect(trace.status).toBe(200);
    expect(trace.body.eventIds).toContain(eventId);
    expect(trace.body.hops.length).toBeGreaterThan(0);
    // An event id of now that nothing carries, and one from the future (a ULID of the year 2039).
    const nobody = `${eventId.slice(0, 10)}${'Z'.repeat(16)}`;
    for (const unknownId of [nobody, '01ZZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const unknown = await consoleRoute(`${CONSOLE_ROUTES.trace}${unknownId}`);
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: { error: 'not_found', message: expect.stringContaining(unknownId) } });
    }
  });

  it('lists a DLQ with the reason of each dead letter, dry-runs its redrive without moving anything, then redrives it', async () => {
    const id = `01CONSOLEREDRIVE${run.toUpperCase()}`.slice(0, 26);
    const notification = depositNotification({ eventId: id, accountId: `acct-${run}` });
    const dlq = output('NotificationsDlqUrl');
    await waitSettled(); // nothing else reaches the DLQ from now on
    await emptyQueue(dlq); // earlier suites may leave messages here
    const attributes = { reason: 'delivery_failed', message: 'the webhook answered 503' };
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: JSON.stringify(notification),
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
      }),
    );

    const listed = await consoleRoute<DlqsAnswer>(CONSOLE_ROUTES.dlqs);
    expect(listed.status).toBe(200);
    const notifications = listed.body.dlqs.find((entry) => entry.name === 'notifications')!;
    expect(notifications).toMatchObject({ url: dlq, count: 1 });
    expect(notifications.messages).toEqual([
      expect.objectContaining({ reason: 'delivery_failed: the webhook answered 503', attributes: expect.objectContaining(attributes) }),
    ]);
    expect(JSON.parse(notifications.messages[0].body)).toEqual(notification);
    expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const redrive = (dryRun: boolean) =>
      consoleRoute(`${CONSOLE_ROUTES.dlq}notifications/redrive`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dryRun }),
      });
    const dry = await redrive(true);
    expect(dry).toMatchObject({ status: 200, body: { name: 'notifications', dryRun: true, moved: 1, skipped: [] } });
    expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const moved = await redrive(false);
    expect(moved).toMatchObject({ status: 200, body: { name: 'notifications', dryRun: false, moved: 1, skipped: [] } });
    await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: id } })),
      until: (r) => r.Item?.status === 'delivered',
      what: 'delivery of the redriven notification',
    });
    expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('console refusals', () => {
  it.each([
    ['an unknown route', 'GET', `${CONSOLE_ROUTES.page}/api/nothing`, undefined, 404, 'not_found', '/api/nothing'],
    ['an unknown filter', 'GET', `${CONSOLE_ROUTES.events}?colour=red`, undefined, 400, 'validation_failed', 'colour'],
    ['a bad account filter', 'GET', `${CONSOLE_ROUTES.events}?account=a%20b`, undefined, 400, 'validation_failed', 'account'],
    ['a bad limit', 'GET', `${CONSOLE_ROUTES.events}?limit=0`, undefined, 400, 'validation_failed', 'limit'],
    ['a bad trace filter on live', 'GET', `${CONSOLE_ROUTES.live}?trace=xyz`, undefined, 400, 'validation_failed', 'trace'],
    ['a malformed stream id', 'GET', `${CONSOLE_ROUTES.stream}%E0%A4%A`, undefined, 400, 'validation_failed', 'streamId'],
    ['an unknown stream', 'GET', `${CONSOLE_ROUTES.stream}account%23nobody-${run}`, undefined, 404, 'not_found', `nobody-${run}`],
    ['an unknown DLQ', 'POST', `${CONSOLE_ROUTES.dlq}no-such-dlq/redrive`, '{"dryRun":true}', 404, 'not_found', 'no-such-dlq'],
    ['a body that is not JSON', 'POST', `${CONSOLE_ROUTES.dlq}notifications/redrive`, '{dryRun', 400, 'validation_failed', 'body'],
    ['a redrive without dryRun', 'POST', `${CONSOLE_ROUTES.dlq}notifications/redrive`, '{}', 400, 'validation_failed', 'dryRun'],
    ['an unknown body field', 'POST', `${CONSOLE_ROUTES.dlq}notifications/redrive`, '{"dryRun":true,"force":1}', 400, 'validation_failed', 'force'],
    ['a GET on redrive', 'GET', `${CONSOLE_ROUTES.dlq}notifications/redrive`, undefined, 405, 'method_not_allowed', 'POST'],
    ['a POST on topology', 'POST', CONSOLE_ROUTES.topology, '{}', 405, 'method_not_allowed', 'GET'],
    ['a missing asset', 'GET', `${CONSOLE_ROUTES.assets}nothing-${run}.js`, undefined, 404, 'not_found', `nothing-${run}.js`],
  ])('refuses %s with a 4xx naming it', async (_what, method, path, body, status, error, named) => {
    const answer = await consoleRoute(path, { method, ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}) });
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
    expect(answer.body.message).toContain(named);
  });

  it.each([
    ['another origin', { origin: 'https://evil.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s', async (_what, headers) => {
    for (const path of [CONSOLE_ROUTES.page, CONSOLE_ROUTES.topology, CONSOLE_ROUTES.live]) {
      const answer = await consoleRoute(path, { headers });
      expect({ path, status: answer.status, error: answer.body.error }).toEqual({ path, status: 403, error: 'cross_site_refused' });
    }
  });
});
