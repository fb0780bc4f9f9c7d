/**
 * Edit-to-running of a hot reload (issue 15's goal: ≤ 1 s for one function): on a local cloud
 * started with `watch` on a copy of the project, the time from writing a changed
 * `lambdas/query/handler.ts` (its response gains `hotReload: <round>`) to the first
 * `GET /accounts/{id}` answered by the new code. Requests are sent one after the other from the
 * write on, so the figure includes the debounce, the esbuild rebuild, the swap and the new
 * sandbox's cold start. Median of 5 rounds, after the bundlers have warmed.
 *
 * Run alone: npx tsx bench/measure/hot-reload.ts (ports: SLUICE_AWS_PORT / SLUICE_API_PORT, default any free port)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalCloud } from '../../local';
import { copyProject } from '../../test/support/project-copy';
import { median } from '../lib/stats';

const QUERY_HANDLER = path.join('lambdas', 'query', 'handler.ts');
const RESULT_LINE = 'return json(200, await requireBalance(queries, accountId));';

export interface HotReloadTimes {
  /** Edit-to-running of each round, ms. */
  readonly roundsMs: readonly number[];
  readonly medianMs: number;
  /** The reload line's own figure (first change event to swapped), per round, ms. */
  readonly reloadMs: readonly number[];
  /** Of those, the esbuild rebuild, per round, ms. */
  readonly buildMs: readonly number[];
}

async function call(cloud: LocalCloud, method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${cloud.apiUrl.replace(/\/$/, '')}${route}`, {
    method,
    headers: { 'x-api-key': cloud.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Runs `rounds` edits of the query handler on a fresh copy of `projectRoot` and times each. */
export async function measureHotReload(projectRoot: string, rounds = 5): Promise<HotReloadTimes> {
  const copy = copyProject(projectRoot);
  const { startLocalCloud } = await import('../../local');
  const cloud = await startLocalCloud({
    projectRoot: copy.root,
    awsPort: Number(process.env.SLUICE_AWS_PORT ?? 0),
    apiPort: Number(process.env.SLUICE_API_PORT ?? 0),
    outputsFile: false,
    watch: true,
  });
  try {
    await cloud.hotReload!.warmed();
    const accountId = `bench-hot-${Date.now().toString(36)}`;
    await call(cloud, 'POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' });
    await fetch(`${cloud.awsEndpoint}/_sluice/settled?timeout=60`);
    const file = path.join(copy.root, QUERY_HANDLER);
    const original = readFileSync(file, 'utf8');
    const roundsMs: number[] = [];
    const reloadMs: number[] = [];
    const buildMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const reload = cloud.hotReload!.nextReload();
      const written = performance.now();
      writeFileSync(file, original.replace(RESULT_LINE, `return json(200, { ...(await requireBalance(queries, accountId)), hotReload: ${round} });`));
      while ((await call(cloud, 'GET', `/accounts/${accountId}`)).body.hotReload !== round) {
        // The old code answered: ask again at once.
      }
      roundsMs.push(Math.round(performance.now() - written));
      const event = await reload;
      reloadMs.push(Math.round(event.ms));
      buildMs.push(event.buildMs ?? 0);
    }
    return { roundsMs, medianMs: median(roundsMs), reloadMs, buildMs };
  } finally {
    await cloud.stop();
    copy.remove();
  }
}

if (require.main === module) {
  measureHotReload(path.resolve(__dirname, '..', '..'))
    .then((times) => {
      process.stdout.write(`edit-to-running (ms): ${times.roundsMs.join(', ')}; median ${times.medianMs} ms\n`);
      process.stdout.write(`reload line (ms, change event to swapped): ${times.reloadMs.join(', ')}; of which esbuild: ${times.buildMs.join(', ')}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
