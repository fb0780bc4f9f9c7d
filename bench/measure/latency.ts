/**
 * End-to-end latency: from `POST /accounts/{id}/deposits` returning to `GET /accounts/{id}`
 * showing the new version (command λ → event store → DynamoDB stream → outbox relay → Kinesis →
 * projector → read model → query λ).
 */
import { accountStreamId } from '../../lambdas/domain/accounts/account-service';
import { api, type BenchTarget } from '../lib/aws';
import { now, pool, sleep } from '../lib/util';
import type { ClientSample } from './latency-trace';

export interface LatencyOptions {
  readonly commands: number;
  readonly accounts: number;
  /** Commands in flight at once (each on its own account). */
  readonly concurrency: number;
  /** Pause between two GETs of one command. */
  readonly pollIntervalMs: number;
  /** A command not visible after this long counts as timed out. */
  readonly commandTimeoutMs: number;
}

export const DEFAULT_LATENCY_OPTIONS: LatencyOptions = { commands: 500, accounts: 100, concurrency: 4, pollIntervalMs: 5, commandTimeoutMs: 15_000 };

export interface LatencyResult {
  /** One per command that became visible, in ms. */
  readonly latenciesMs: number[];
  readonly timedOut: number;
  /** Commands the API answered with a 5xx (left out; more than a tenth of them fails the run). */
  readonly failed: number;
  /** Mean duration of one GET /accounts/{id} (bounds the resolution of each sample). */
  readonly meanGetMs: number;
  /** What the client saw of each recorded command, in epoch ms, to join with the pipeline's own times. */
  readonly samples: ClientSample[];
}

/** The version the read model shows; 0 when it shows none yet or the GET failed (a loaded machine's timeout): the caller polls again. */
async function version(target: BenchTarget, accountId: string): Promise<number> {
  try {
    const { status, body } = await api<{ version: number }>(target, 'GET', `/accounts/${accountId}`);
    return status === 200 ? body.version : 0;
  } catch {
    return 0;
  }
}

/** Opens the accounts and waits until the read model has them all (this also warms every function). */
async function openAccounts(target: BenchTarget, ids: readonly string[]): Promise<void> {
  await pool(ids.length, 4, async (i) => {
    // A 5xx (a sandbox's init timing out on a loaded machine) is retried; 409 on a retry means the first try landed.
    for (let attempt = 1; ; attempt++) {
      // A POST that fails on the wire (a loaded machine's reset or timeout) is retried like a 5xx.
      const { status, body } = await api(target, 'POST', '/accounts', { accountId: ids[i], owner: 'Bench', currency: 'EUR' }).catch((error: unknown) => ({
        status: 599,
        body: { error: error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error) },
      }));
      if (status === 201 || (status === 409 && attempt > 1)) return;
      if (status < 500 || attempt >= 3) throw new Error(`POST /accounts answered ${status} (attempt ${attempt}): ${JSON.stringify(body).slice(0, 300)}`);
    }
  });
  const deadline = Date.now() + 60_000;
  for (const id of ids) {
    while ((await version(target, id)) < 1) {
      if (Date.now() > deadline) throw new Error(`account ${id} did not reach the read model within 60 s`);
      await sleep(50);
    }
  }
}

/** Runs `options.commands` deposits, at most `concurrency` at once, never two on one account. */
export async function measureLatency(target: BenchTarget, runId: string, options: LatencyOptions = DEFAULT_LATENCY_OPTIONS): Promise<LatencyResult> {
  const ids = Array.from({ length: options.accounts }, (_, i) => `bench-${runId}-lat-${i}`);
  await openAccounts(target, ids);

  const latenciesMs: number[] = [];
  const samples: ClientSample[] = [];
  let timedOut = 0;
  let failed = 0;
  let gets = 0;
  let getMs = 0;
  const deposit = async (accountId: string, record: boolean) => {
    const postSent = Date.now();
    // A POST that times out on a loaded machine counts as a 5xx: left out, like one the API refused.
    const { status, body } = await api<{ version: number }>(target, 'POST', `/accounts/${accountId}/deposits`, { amount: 100 }).catch(() => ({
      status: 504,
      body: { version: 0 },
    }));
    if (status >= 500 && ++failed <= options.commands / 10) return;
    if (status !== 201) throw new Error(`POST deposits answered ${status}${failed > 0 ? ` (${failed} failed)` : ''}: ${JSON.stringify(body).slice(0, 300)}`);
    const returned = now();
    const postReturned = Date.now();
    const deadline = returned + options.commandTimeoutMs;
    for (;;) {
      const t = now();
      const seen = await version(target, accountId);
      gets++;
      getMs += now() - t;
      if (seen >= body.version) {
        if (record) {
          latenciesMs.push(now() - returned);
          samples.push({ streamId: accountStreamId(accountId), version: body.version, postSent, postReturned, visible: Date.now() });
        }
        return;
      }
      if (now() > deadline) {
        if (record) timedOut++;
        return;
      }
      await sleep(options.pollIntervalMs);
    }
  };

  // Warm-up: one round over a few accounts, not recorded.
  await pool(Math.min(20, ids.length), options.concurrency, (i) => deposit(ids[i], false));
  // Each worker owns its own accounts (w, w + concurrency, …), so no two commands on one account overlap.
  if (options.accounts < options.concurrency) throw new Error(`accounts must be at least the concurrency (got ${options.accounts} < ${options.concurrency})`);
  const perWorker = Math.floor(options.accounts / options.concurrency);
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, w) => {
      for (let k = w; k < options.commands; k += options.concurrency) {
        await deposit(ids[w + options.concurrency * (Math.floor(k / options.concurrency) % perWorker)], true);
      }
    }),
  );
  return { latenciesMs, timedOut, failed, meanGetMs: gets > 0 ? getMs / gets : 0, samples };
}
