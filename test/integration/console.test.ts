/**
 * The live console in a real browser (headless Chromium through playwright-core), against the
 * suite's local cloud: the page loads, a deposit posted over the HTTP API shows in the feed with its
 * trace reaching the read model, a record poisoned into the projector's DLQ goes back with the
 * Redrive button, and the topology names every function of the template.
 *
 * Every wait is on the pipeline (`waitSettled`) or on the page's own state (`waitFor` on an
 * element the page renders when the data is there), never a fixed sleep.
 *
 * `SLUICE_CONSOLE_SCREENSHOT=<file.png>` saves the console with this file's data in it (the README's
 * docs/images/console.png is made so).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_ROUTES } from '../../local/console/contract';
import { CLOUD_ASSEMBLY_ENV } from '../support/suite-cloud';
import { chaos } from './faults/support/chaos';
import { storedEvents, uniqueId } from './support/accounts';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { api } from './support/http';
import { isExternalTarget, waitSettled } from './support/settled';
import { clients, output, target } from './support/target';

/** A deposit's type, whatever its current version. */
const DEPOSITED = /^sluice\.account\.deposited\.v\d+$/;

/** Opens an account and deposits into it over the HTTP API; returns the deposit's event id. */
async function accountWithDeposit(prefix: string, amount: number, owner = 'Ada'): Promise<{ accountId: string; depositId: string }> {
  const accountId = uniqueId(prefix);
  expect((await api('POST', '/accounts', { accountId, owner, currency: 'EUR' })).status).toBe(201);
  expect((await api('POST', `/accounts/${accountId}/deposits`, { amount })).status).toBe(201);
  const [, deposit] = await storedEvents(accountId);
  return { accountId, depositId: deposit.eventId };
}

/** Applies the feed's account filter in the page. */
async function filterFeedByAccount(page: Page, accountId: string): Promise<void> {
  await page.getByTestId('feed-filter-account').fill(accountId);
  await page.getByTestId('feed-filter-apply').click();
}

/** The logical ids of every Lambda function in the templates of the cloud assembly the suite's cloud runs. */
function templateFunctionIds(): string[] {
  const dir = process.env[CLOUD_ASSEMBLY_ENV];
  if (!dir) throw new Error(`${CLOUD_ASSEMBLY_ENV} is not set: the global setup sets it when it starts the local cloud`);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.template.json'))
    .flatMap((file) => {
      const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { Resources?: Record<string, { Type: string }> };
      return Object.entries(template.Resources ?? {}).flatMap(([id, resource]) => (resource.Type === 'AWS::Lambda::Function' ? [id] : []));
    });
}

// The console is a tool of the local cloud: there is none on LocalStack or AWS.
(isExternalTarget() ? describe.skip : describe)('live console in a browser', () => {
  let browser: Browser;
  let opened: WatchedPage;
  const page = () => opened.page;

  // The local cloud builds the page (local/console/build.ts) when it attaches the console.
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  beforeEach(async () => {
    opened = await openWatchedPage(browser, `${process.env.AWS_ENDPOINT_URL}${CONSOLE_ROUTES.page}`);
    await page().locator('[data-testid="live-state"][data-state="live"]').waitFor();
  });
  afterEach(async () => {
    await opened.page.context().close();
    await chaos.clear();
    // Nothing the page did raised an error: no exception, no refused script or style, no failed route.
    expect(opened.errors).toEqual([]);
  });

  it('1. loads the page, its bundle and every section, and connects to the live route', async () => {
    expect(await page().title()).toBe('sluice console');
    for (const section of ['topology', 'feed', 'consumers', 'dlqs', 'event-store', 'chaos']) await page().getByTestId(section).waitFor();
    await page().getByTestId('topology-function').first().waitFor();
    await page().getByTestId('consumer-row').first().waitFor();
  });

  it('2-3. shows a posted deposit in the feed, its envelope as text, its trace reaching the read model, and the fold matching the read model', async () => {
    // An owner that is markup: the page must show it as text, never parse it.
    const owner = '<img src=x onerror="document.title=1">Ada';
    const { accountId, depositId } = await accountWithDeposit('console-feed', 4200, owner);
    await waitSettled({ probe: () => api('GET', `/accounts/${accountId}`), until: (r) => r.body?.version === 2, what: 'read model at v2' });

    await filterFeedByAccount(page(), accountId);
    const row = page().locator(`[data-testid="feed-row"][data-event-id="${depositId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-type')).toMatch(DEPOSITED);
    // The account filter keeps only this account's two events.
    expect(await page().getByTestId('feed-row').count()).toBe(2);

    await row.click();
    const envelope = JSON.parse((await page().getByTestId('envelope').textContent())!);
    expect(envelope).toMatchObject({ id: depositId, type: expect.stringMatching(DEPOSITED), data: expect.objectContaining({ amount: 4200 }) });
    // The trace collector (cli/trace) finds the projector's read-model write: the trace reaches the read model.
    await page().locator('[data-testid="trace-hop"][data-hop="projector"]').waitFor();

    await page().locator(`[data-testid="feed-row"]:not([data-event-id="${depositId}"])`).click();
    expect(JSON.parse((await page().getByTestId('envelope').textContent())!).data.owner).toBe(owner);
    expect(await page().locator('[data-testid="envelope"] img').count()).toBe(0);
    expect(await page().title()).toBe('sluice console');

    await page().getByTestId('stream-id').fill(accountId);
    await page().getByTestId('stream-open').click();
    await page().locator('[data-testid="stream-match"][data-matches="true"]').waitFor();
    expect(await page().getByTestId('stream-event').count()).toBe(2);
    expect(JSON.parse((await page().getByTestId('stream-read-model').textContent())!)).toMatchObject({ balance: 4200, version: 2 });

    // The deposit opened again, with its whole trace: what the README's screenshot shows.
    await row.click();
    await page().locator(`[data-testid="event-detail"][data-event-id="${depositId}"] [data-testid="trace-hop"][data-hop="projector"]`).waitFor();
    const screenshot = process.env.SLUICE_CONSOLE_SCREENSHOT;
    if (screenshot) await page().screenshot({ path: screenshot, fullPage: true });
  }, 180_000);

  it('4. redrives a record poisoned into the projector DLQ with the Redrive button, and the DLQ is empty', async () => {
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: output('ProjectorDlqUrl') }));
    const { accountId } = await accountWithDeposit('console-dlq', 100);
    await waitSettled({ probe: () => api('GET', `/accounts/${accountId}`), until: (r) => r.body?.version === 2, what: 'read model at v2' });

    // The projector's write for this account fails every time (a fault added with the page's form) …
    // The operation is left empty (any): a batch this small is one TransactWriteItems, refused it
    // falls back to a PutItem, and the row is read with BatchGetItem; every call that names this
    // account's balance row fails, whichever way the projector writes it.
    await page().getByTestId('chaos-service').selectOption('dynamodb');
    await page()
      .getByTestId('chaos-match')
      .fill(`${output('BalancesTableName')}, ${accountId}`);
    await page().getByTestId('chaos-add').click();
    await page().getByTestId('chaos-fault').waitFor();
    const faults = await chaos.list();
    expect(faults).toEqual([expect.objectContaining({ service: 'dynamodb', match: [output('BalancesTableName'), accountId] })]);
    expect(faults[0].operation).toBeUndefined();

    // … so its next deposit ends in the projector's DLQ once the mapping's retries are spent.
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 50 })).status).toBe(201);
    await waitSettled();
    const dlq = page().locator('[data-testid="dlq"][data-name="projector"]');
    await dlq.locator('[data-testid="dead-letter"]').first().waitFor();
    expect((await dlq.getByTestId('dead-letter-reason').first().textContent())?.trim()).not.toBe('');

    // The fault goes (removed in the page), then the button redrives the letter through the projector.
    await page().getByTestId('chaos-remove').click();
    await page().getByTestId('chaos-empty').waitFor();
    await dlq.getByTestId('dlq-dry-run').click();
    await dlq.locator('[data-testid="dlq-result"][data-dry-run="true"]').waitFor();
    expect(Number(await dlq.getByTestId('dlq-result').getAttribute('data-moved'))).toBeGreaterThanOrEqual(1);
    await dlq.getByTestId('dlq-redrive').click();
    await dlq.locator('[data-testid="dlq-result"][data-dry-run="false"]').waitFor();
    expect(Number(await dlq.getByTestId('dlq-result').getAttribute('data-moved'))).toBeGreaterThanOrEqual(1);
    await dlq.locator('[data-testid="dlq-count"][data-count="0"]').waitFor();
    expect(await dlq.getByTestId('dead-letter').count()).toBe(0);

    const { body } = await waitSettled({ probe: () => api('GET', `/accounts/${accountId}`), until: (r) => r.body?.version === 3, what: 'read model at v3' });
    expect(body.balance).toBe(150);
  }, 180_000);

  it('5. names every function of the template in the topology, by the names the outputs give', async () => {
    const expected = templateFunctionIds();
    expect(expected.length).toBeGreaterThan(0);
    const nodes = page().getByTestId('topology-function');
    await nodes.first().waitFor();
    const shown = await nodes.evaluateAll((elements) => elements.map((e) => ({ logicalId: e.getAttribute('data-logical-id'), name: e.getAttribute('data-name') })));
    expect(shown.map((f) => f.logicalId).sort()).toEqual([...expected].sort());
    const namedInOutputs = Object.entries(target().outputs).flatMap(([key, value]) => (key.endsWith('FunctionName') ? [value] : []));
    expect(namedInOutputs.length).toBeGreaterThan(0);
    expect(shown.map((f) => f.name)).toEqual(expect.arrayContaining(namedInOutputs));
  });
});
