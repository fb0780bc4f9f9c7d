/**
 * The Lambda runner's code swap that hot reload uses (`LambdaRunner.replaceFunction`), on tiny
 * hand-written assets in a temp dir run as real sandboxes: an invocation in flight finishes on the
 * old code, an invocation that arrives during the swap is held (not dropped) and runs the new code
 * only after the old one has finished, and other functions' sandboxes are not restarted.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalFunction } from '../../local/model';
import { LambdaRunner, type InvokeOutcome } from '../../local/runtime';
import { localFunction } from '../support/factories/local-app';

const root = mkdtempSync(path.join(tmpdir(), 'sluice-swap-'));
const gate = path.join(root, 'gate');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fn(name: string, version: string, code: string): LocalFunction {
  const assetDir = path.join(root, `${name}-${version}`);
  mkdirSync(assetDir, { recursive: true });
  writeFileSync(path.join(assetDir, 'index.js'), code);
  return localFunction(name, { assetDir, environment: {}, timeoutSeconds: 10, memorySize: 128 });
}

/** v1 says it started, waits for the gate file, marks itself done and answers; v2 answers whether v1 was done. */
const V1 = `const fs = require('node:fs');
exports.handler = async () => {
  fs.writeFileSync(${JSON.stringify(`${gate}.started`)}, 'x');
  while (!fs.existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 10));
  fs.writeFileSync(${JSON.stringify(`${gate}.v1-done`)}, 'x');
  return 'v1';
};`;
const V2 = `exports.handler = async () => ({ code: 'v2', v1WasDone: require('node:fs').existsSync(${JSON.stringify(`${gate}.v1-done`)}) });`;

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const resultOf = (outcome: InvokeOutcome) => (outcome.ok ? outcome.result : outcome);

describe('LambdaRunner.replaceFunction', () => {
  it('lets the invocation in flight finish on the old code and holds the next one for the new code', async () => {
    const runner = new LambdaRunner([fn('swapped', 'v1', V1), fn('other', 'v1', 'exports.handler = async () => process.pid;')], {
      awsEndpoint: 'http://localhost:1',
      log: () => undefined,
    });
    try {
      const otherPid = resultOf(await runner.invoke('sluice-dev-other', {}));
      const inFlight = runner.invoke('sluice-dev-swapped', {});
      await until(() => existsSync(`${gate}.started`), 'the old code to start');

      const swap = runner.replaceFunction(fn('swapped', 'v2', V2));
      const held = runner.invoke('sluice-dev-swapped', {});
      writeFileSync(gate, 'x');

      expect(resultOf(await inFlight)).toBe('v1');
      expect(resultOf(await held)).toEqual({ code: 'v2', v1WasDone: true });
      await swap;
      expect(resultOf(await runner.invoke('sluice-dev-other', {}))).toBe(otherPid);
    } finally {
      await runner.stop();
    }
  });
});
