/**
 * The local stand-in for the query function's cursor signing key. On AWS the key is a Secrets
 * Manager secret the function reads at run time (`CURSOR_KEY_SECRET_ARN`); the local cloud has no
 * Secrets Manager, so a function the stack gives that ARN gets the key itself as `CURSOR_KEY`.
 *
 * Why the key is random and where it lives: a cursor is only worth keeping as long as the pages it
 * points into. With `--persist` the data survives a restart, so the key does too (`cursor-key` in
 * the data directory, owner-only); without it both are gone on restart, and a stale cursor gets
 * the same 400 as one from before a key rotation on AWS. A fixed key in the code would let anyone
 * who reads it forge cursors.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CURSOR_KEY_ENV } from '../lambdas/query/cursor-key-env';
import type { LocalApp } from './model';

/** The key's file in the `--persist` data directory. */
export const CURSOR_KEY_FILE = 'cursor-key';

/**
 * The key: read from `<dataDir>/cursor-key`, or made (48 random bytes, base64url) and, with a
 * data directory, written there readable by this user only.
 *
 * @throws when the data directory cannot be read or written (the error names the file)
 */
export function localCursorKey(dataDir: string | undefined, random: (size: number) => Buffer = randomBytes): string {
  const fresh = () => random(48).toString('base64url');
  if (!dataDir) return fresh();
  const file = path.join(dataDir, CURSOR_KEY_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read the local cursor key ${file}: delete the file to make a new one`, { cause: error });
  }
  const key = fresh();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The app with `CURSOR_KEY` set on every function the stack gave `CURSOR_KEY_SECRET_ARN`. */
export function withCursorKey(app: LocalApp, key: string): LocalApp {
  return {
    ...app,
    functions: app.functions.map((fn) =>
      fn.environment[CURSOR_KEY_ENV.secretArn] ? { ...fn, environment: { ...fn.environment, [CURSOR_KEY_ENV.value]: key } } : fn,
    ),
  };
}
