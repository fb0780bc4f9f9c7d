import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURSOR_KEY_FILE, localCursorKey, withCursorKey } from '../../../local/cursor-key';
import type { LocalApp, LocalFunction } from '../../../local/model';

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'sluice-cursor-key-'));

describe('localCursorKey', () => {
  it('makes a new random key per start without --persist (the data is gone on restart, and so are the pages)', () => {
    const first = localCursorKey(undefined);

    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(localCursorKey(undefined)).not.toBe(first);
  });

  it('keeps the key in the data directory with --persist, owner-only, so cursors survive a restart', () => {
    const dir = dataDir();

    const first = localCursorKey(dir);
    const afterRestart = localCursorKey(dir, () => Buffer.alloc(48, 7));

    expect(afterRestart).toBe(first);
    expect(readFileSync(path.join(dir, CURSOR_KEY_FILE), 'utf8')).toBe(`${first}\n`);
    expect(statSync(path.join(dir, CURSOR_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('makes a new key when the kept file is empty', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, CURSOR_KEY_FILE), '\n');

    expect(localCursorKey(dir, () => Buffer.alloc(48, 1))).toBe(Buffer.alloc(48, 1).toString('base64url'));
  });
});

describe('withCursorKey', () => {
  const fn = (name: string, environment: Record<string, string>): LocalFunction => ({
    logicalId: name,
    stackName: 'Stateless',
    functionName: name,
    displayName: name,
    assetDir: '/asset',
    handler: 'index.handler',
    environment,
    timeoutSeconds: 3,
    memorySize: 128,
  });
  const app: LocalApp = {
    cloudAssemblyDir: '/cdk.out',
    tables: [],
    streams: [],
    queues: [],
    mappings: [],
    outputs: {},
    functions: [fn('query', { CURSOR_KEY_SECRET_ARN: 'Stateless-CursorKey', TABLE: 't' }), fn('ingest', { TABLE: 't' })],
  };

  it('gives the key itself to the function the stack gave the secret ARN, and to no other', () => {
    const [query, ingest] = withCursorKey(app, 'k').functions;

    expect(query.environment).toEqual({ CURSOR_KEY_SECRET_ARN: 'Stateless-CursorKey', TABLE: 't', CURSOR_KEY: 'k' });
    expect(ingest.environment).toEqual({ TABLE: 't' });
  });
});
