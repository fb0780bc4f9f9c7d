/**
 * The test suite's wall time: `npm run test:unit` and `npm run test:infra`, each timed as a
 * process, recorded in a file so a later run without `--with-tests` can still show them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { now } from '../lib/util';

export interface TestTimes {
  readonly measuredAt: string;
  readonly unitMs: number;
  readonly infraMs: number;
  readonly unitPassed: boolean;
  readonly infraPassed: boolean;
}

async function timeScript(projectRoot: string, script: string, timeoutMs: number): Promise<{ ms: number; passed: boolean }> {
  const t0 = now();
  const child = spawn('npm', ['run', '--silent', script], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr!.on('data', () => undefined);
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { ms: now() - t0, passed: code === 0 };
}

export async function measureTests(projectRoot: string, recordFile: string, timeoutMs = 600_000): Promise<TestTimes> {
  const unit = await timeScript(projectRoot, 'test:unit', timeoutMs);
  const infra = await timeScript(projectRoot, 'test:infra', timeoutMs);
  const times: TestTimes = { measuredAt: new Date().toISOString(), unitMs: unit.ms, infraMs: infra.ms, unitPassed: unit.passed, infraPassed: infra.passed };
  mkdirSync(path.dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, `${JSON.stringify(times, null, 2)}\n`);
  return times;
}

export function readRecordedTests(recordFile: string): TestTimes | undefined {
  if (!existsSync(recordFile)) return undefined;
  try {
    return JSON.parse(readFileSync(recordFile, 'utf8')) as TestTimes;
  } catch {
    return undefined;
  }
}
