/**
 * What `--inspect` changes in a function's sandboxes, how idle sandboxes are reclaimed, and the V8
 * heap a sandbox starts with, on the Lambda runner alone with hand-written handler assets (no emulators: the handlers make no AWS call).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalFunction } from '../../local/model';
import { LambdaRunner, type InvokeOutcome } from '../../local/runtime';
import { eventually } from './support/eventually';
import { localFunction } from '../support/factories/local-function';

const root = mkdtempSync(path.join(tmpdir(), 'sluice-inspect-'));
const inspectPort = Number(process.env.SLUICE_TEST_INSPECT_PORT ?? 9400) + 1;
const lines: string[] = [];
const log = (_source: string, line: string) => void lines.push(line);

const assetDir = path.join(root, 'echo');
mkdirSync(assetDir, { recursive: true });
writeFileSync(
  path.join(assetDir, 'index.js'),
  `exports.handler = async (event) => {
    if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
    if (event.exit) process.exit(3);
    if (event.execArgv) return { execArgv: process.execArgv };
    return { pid: process.pid };
  };`,
);

const fn = (name: string, overrides: Partial<LocalFunction> = {}) => localFunction(name, assetDir, { timeoutSeconds: 1, ...overrides });

const pidOf = (outcome: InvokeOutcome) => (outcome as { result: { pid: number } }).result.pid;
/** The process state letter in /proc/<pid>/stat: `T` is stopped (frozen). */
const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
const listTargets = async () => (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as Array<{ id: string }>;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an inspected function', () => {
  let runner: LambdaRunner;

  beforeAll(() => {
    runner = new LambdaRunner([fn('inspected', { reservedConcurrency: 5 })], {
      awsEndpoint: 'http://localhost:4566',
      log,
      inspect: [{ functionName: 'test-inspected', displayName: 'inspected', port: inspectPort }],
    });
  });

  afterAll(() => runner.stop());

  it('has its sandbox listening before any invocation, so a debugger can attach first', async () => {
    const targets = await eventually(listTargets, (list) => list.length === 1, { what: 'the inspector to answer' });
    expect(targets).toHaveLength(1);
    expect(runner.sandboxPids('test-inspected')).toHaveLength(1);
  });

  it('runs one sandbox: concurrent calls take turns in it instead of starting (or throttling at) more', async () => {
    const outcomes = await Promise.all(Array.from({ length: 3 }, () => runner.invoke('test-inspected', { sleepMs: 100 })));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(new Set(outcomes.map(pidOf)).size).toBe(1);
  });

  it('is not frozen between invocations, so the debugger can still talk to it', async () => {
    const pid = pidOf(await runner.invoke('test-inspected', {}));
    expect(processState(pid)).not.toBe('T');
    expect(await listTargets()).toHaveLength(1);
  });

  it('logs its timeout but lets the invocation run on (a debugger may be paused in it)', async () => {
    const before = pidOf(await runner.invoke('test-inspected', {}));
    const slow = await runner.invoke('test-inspected', { sleepMs: 1500 });
    expect(slow).toEqual({ ok: true, result: { pid: before } });
    expect(lines.some((line) => line.includes('Task would have timed out after 1.00 seconds on AWS; not enforced while the function is inspected'))).toBe(true);
  });

  it('starts a new sandbox on the same port after one exits', async () => {
    const before = pidOf(await runner.invoke('test-inspected', {}));
    expect(await runner.invoke('test-inspected', { exit: true })).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    const [after] = await eventually(
      async () => runner.sandboxPids('test-inspected'),
      (pids) => pids.length === 1 && pids[0] !== before,
      { what: 'a new sandbox' },
    );
    await eventually(listTargets, (list) => list.length === 1, { what: 'the inspector on the same port' });
    expect(pidOf(await runner.invoke('test-inspected', {}))).toBe(after);
  });
});

describe('idle sandboxes', () => {
  let runner: LambdaRunner | undefined;
  afterEach(() => runner?.stop());

  it('are ended after the idle time, and the next invocation starts a fresh one (a cold start)', async () => {
    runner = new LambdaRunner([fn('idle')], { awsEndpoint: 'http://localhost:4566', log, idleSandboxMs: 500 });
    const first = pidOf(await runner.invoke('test-idle', {}));
    await eventually(
      async () => runner!.sandboxPids('test-idle'),
      (pids) => pids.length === 0,
      { what: 'the idle sandbox to be ended' },
    );
    // The runner forgets the sandbox when it signals it; the process exits a moment later.
    const alive = () => {
      try {
        process.kill(first, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually(
      async () => alive(),
      (isAlive) => !isAlive,
      { what: `the idle sandbox's process ${first} to exit` },
    );
    const second = await runner.invoke('test-idle', {});
    expect(second.ok).toBe(true);
    expect(pidOf(second)).not.toBe(first);
  });

  it('beyond the kept number are ended first, the most recently used are kept warm', async () => {
    runner = new LambdaRunner([fn('burst')], { awsEndpoint: 'http://localhost:4566', log, idleSandboxMs: 600_000, maxIdleSandboxes: 1, surplusIdleSandboxMs: 1000 });
    const burst = await Promise.all(Array.from({ length: 3 }, () => runner!.invoke('test-burst', { sleepMs: 200 })));
    expect(new Set(burst.map(pidOf)).size).toBe(3);
    const last = pidOf(await runner.invoke('test-burst', {}));
    const [kept] = await eventually(
      async () => runner!.sandboxPids('test-burst'),
      (pids) => pids.length === 1,
      { what: 'one sandbox left', timeoutMs: 30_000 },
    );
    expect(kept).toBe(last);
    expect(pidOf(await runner.invoke('test-burst', {}))).toBe(last); // still warm
  });
});

describe("a sandbox's V8 heap", () => {
  let runner: LambdaRunner | undefined;

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  const execArgvOf = async (semiSpaceMb?: number | 'lambda') => {
    runner = new LambdaRunner([fn('heap', { memorySize: 512 })], { awsEndpoint: 'http://localhost:4566', log, semiSpaceMb });
    const outcome = await runner.invoke('test-heap', { execArgv: true });
    expect(outcome.ok).toBe(true);
    return (outcome as { result: { execArgv: string[] } }).result.execArgv;
  };

  it("has the runtime's old space for its memory size and the local runner's small semi space", async () => {
    expect(await execArgvOf()).toEqual(['--max-semi-space-size=1', '--max-old-space-size=461']);
  });

  it("has the runtime's own semi space, a twentieth of the memory, when asked for 'lambda'", async () => {
    expect(await execArgvOf('lambda')).toEqual(['--max-semi-space-size=25', '--max-old-space-size=461']);
  });
});
