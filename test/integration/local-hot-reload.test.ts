/**
 * Hot reload (local/watch) on a local cloud of its own, started on a copy of the project (so the
 * test edits the copy's sources, never the checkout's): a handler change is served over HTTP,
 * only the changed functions restart, data and checkpoints are kept (an event projected before the
 * reload is never projected again by the new code), a syntax error keeps the old code serving,
 * and a `lib/` change that adds a queue creates it, and the settled signal and the console see it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../local';
import type { ReloadEvent } from '../../local/watch';
import { copyProject, type ProjectCopy } from '../support/project-copy';
import { uniqueId } from './support/accounts';
import { eventually } from './support/eventually';
import { waitSettled } from './support/settled';

const checkout = path.resolve(__dirname, '..', '..');
let copy: ProjectCopy;
let cloud: LocalCloud;
/** Every line the cloud logged, `[<source>] <line>`. */
const logLines: string[] = [];

beforeAll(async () => {
  copy = copyProject(checkout);
  const { startLocalCloud } = await import('../../local');
  cloud = await startLocalCloud({
    projectRoot: copy.root,
    awsPort: 0,
    apiPort: 0,
    outputsFile: false,
    watch: true,
    log: (source, line) => logLines.push(`[${source}] ${line}`),
  });
  await cloud.hotReload!.warmed();
}, 600_000);

afterAll(async () => {
  await cloud?.stop();
  copy?.remove();
  // What the cloud said, for a failing run: .sluice/test-hot-reload.log
  mkdirSync(path.join(checkout, '.sluice'), { recursive: true });
  writeFileSync(path.join(checkout, '.sluice', 'test-hot-reload.log'), `${logLines.join('\n')}\n`);
}, 120_000);

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${cloud.apiUrl.replace(/\/$/, '')}${route}`, {
    method,
    headers: { 'x-api-key': cloud.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const settled = () => waitSettled({ endpoint: cloud.awsEndpoint });

/** A GET on the cloud's AWS endpoint (its `/_sluice/` routes), with the JSON it answered. */
async function endpointGet(route: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${cloud.awsEndpoint}${route}`);
  return { status: response.status, body: await response.json() };
}

/** The original text of each `lambdas/` file a test edited: put back after the test, so no edit outlives its test. */
const originals = new Map<string, string>();

/** Replaces `find` (which must occur once) in a file of the copy; resolves with the reload that follows. */
function edit(file: string, find: string, replace: string): Promise<ReloadEvent> {
  const full = path.join(copy.root, file);
  const source = readFileSync(full, 'utf8');
  if (source.split(find).length !== 2) throw new Error(`${file} must contain "${find}" exactly once`);
  if (file.startsWith('lambdas/') && !originals.has(full)) originals.set(full, source);
  const reload = cloud.hotReload!.nextReload();
  writeFileSync(full, source.replace(find, replace));
  return reload;
}

afterEach(async () => {
  for (const [full, original] of originals) {
    if (readFileSync(full, 'utf8') === original) continue;
    const reload = cloud.hotReload!.nextReload();
    writeFileSync(full, original);
    await reload;
  }
  originals.clear();
});

/** The lines a function's sandboxes wrote that contain `text` (a JSON-format function's console.log is one JSON line). */
const linesOf = (fn: string, text: string) => logLines.filter((line) => line.startsWith(`[${fn}] `) && line.includes(text));

async function openAccountWithDeposit(amount: number): Promise<string> {
  const accountId = uniqueId('hot');
  expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
  expect((await api('POST', `/accounts/${accountId}/deposits`, { amount })).status).toBe(201);
  await settled();
  return accountId;
}

const QUERY_RESULT = 'return json(200, await requireBalance(queries, accountId));';

describe('hot reload of lambdas/', () => {
  it('serves a changed query handler over HTTP, restarting only the query function, and holds requests during the swap', async () => {
    const accountId = await openAccountWithDeposit(700);
    expect((await api('GET', `/accounts/${accountId}`)).body.hotReloaded).toBeUndefined();

    let reloaded = false;
    const reload = edit('lambdas/query/handler.ts', QUERY_RESULT, 'return json(200, { ...(await requireBalance(queries, accountId)), hotReloaded: 1 });');
    void reload.then(() => (reloaded = true));
    // Requests keep coming while the function is rebuilt and swapped: each one is answered.
    const statuses: number[] = [];
    while (!reloaded) statuses.push((await api('GET', `/accounts/${accountId}`)).status);

    expect(await reload).toMatchObject({ kind: 'code', reloaded: ['query'], failed: [] });
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const after = await api('GET', `/accounts/${accountId}`);
    expect(after.body).toMatchObject({ accountId, balance: 700, hotReloaded: 1 });
    expect(logLines.filter((line) => line.startsWith('[hot reload] ↻ reloaded'))).toContainEqual(expect.stringMatching(/↻ reloaded query in \d+ ms$/));
  });

  it('keeps the old code serving when the change does not build, and names the function', async () => {
    const accountId = await openAccountWithDeposit(300);
    const before = await api('GET', `/accounts/${accountId}`);

    const reload = await edit('lambdas/query/handler.ts', 'const ROUTES =', 'const ROUTES = (;\nconst ROUTES_ =');

    expect(reload).toMatchObject({ kind: 'code', reloaded: [], failed: ['query'] });
    expect(await api('GET', `/accounts/${accountId}`)).toEqual(before);
    expect(logLines.some((line) => line.startsWith('[hot reload] ✗ query:'))).toBe(true);
    // Fixed again: the next save builds and the query function runs it.
    expect(await edit('lambdas/query/handler.ts', 'const ROUTES = (;\nconst ROUTES_ =', 'const ROUTES =')).toMatchObject({ failed: [] });
  });

  it('keeps data and checkpoints: an event projected before the projector reload is not projected again by the new code', async () => {
    const before = await openAccountWithDeposit(500);
    const readModelBefore = (await api('GET', `/accounts/${before}`)).body;

    const reload = await edit(
      'lambdas/projector/handler.ts',
      "if (outcome.versions.length > 0) logger.debug('projected'",
      "console.error(`projector-v2 saw ${key}.`);\n        if (outcome.versions.length > 0) logger.debug('projected'",
    );
    expect(reload).toMatchObject({ reloaded: ['projector'], failed: [] });
    const after = await openAccountWithDeposit(200);

    // A sandbox's output reaches the log on its own pipe, a moment after its invocation ended.
    await eventually(
      async () => linesOf('projector', `projector-v2 saw ${after}.`),
      (lines) => lines.length > 0,
      { what: 'the new projector logging the new account' },
    );
    expect(linesOf('projector', `projector-v2 saw ${before}.`)).toEqual([]);
    expect((await api('GET', `/accounts/${before}`)).body).toEqual(readModelBefore);
    expect((await api('GET', `/accounts/${after}`)).body).toMatchObject({ balance: 200, version: 2 });
  });
});

describe('hot reload of lib/', () => {
  it('creates a queue the change adds, and keeps the data already there', async () => {
    const accountId = await openAccountWithDeposit(900);
    const queueName = `sluice-hot-reload-probe-${Date.now().toString(36)}`;

    const reload = await edit(
      'lib/stateful-stack.ts',
      '    super(scope, id, props);',
      `    super(scope, id, props);\n    new (require('aws-cdk-lib/aws-sqs') as typeof import('aws-cdk-lib/aws-sqs')).Queue(this, 'HotReloadProbe', { queueName: '${queueName}', enforceSSL: true });`,
    );

    expect(reload).toMatchObject({ kind: 'app', failed: [], created: [`queue ${queueName}`], needsRestart: [] });
    const sqs = new SQSClient({ endpoint: cloud.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      expect(QueueUrl).toContain(queueName);

      // A message waiting in the new queue keeps the cloud from being settled, as in any queue the app started with.
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"probe":true}' }));
      const waiting = await endpointGet('/_sluice/settled?timeout=0');
      expect(waiting).toMatchObject({
        status: 503,
        body: { settled: false, pending: expect.arrayContaining([expect.objectContaining({ kind: 'queue', queue: queueName, messages: 1 })]) },
      });
      expect((await endpointGet('/_sluice/console/api/topology')).body.queues.map((queue: { name: string }) => queue.name)).toContain(queueName);
      expect(cloud.app.queues.map((queue) => queue.queueName)).toContain(queueName);

      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle }));
      expect((await endpointGet('/_sluice/settled?timeout=10')).body).toMatchObject({ settled: true });
    } finally {
      sqs.destroy();
    }
    expect((await api('GET', `/accounts/${accountId}`)).body).toMatchObject({ balance: 900, version: 2 });
  }, 600_000);
});
