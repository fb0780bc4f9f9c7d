/**
 * Hot-reloaded function bundles, one folder per content hash under `.sluice/bundles/`: the
 * synthesized assembly is never written to (another local cloud, or the next `npm start`, may run
 * it), and a folder, once written, never changes, so two local clouds can share it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const BUNDLES_DIR = path.join('.sluice', 'bundles');

/** A bundle's identity: the sha256 of its code (the map is left out: moving a comment changes only the map). */
export function contentHash(code: Uint8Array | string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The hash of the code a function runs now: its handler's module in its asset folder, if there is one. */
export function runningCodeHash(fn: { readonly assetDir: string; readonly handler: string }): string | undefined {
  const modulePath = fn.handler.slice(0, Math.max(fn.handler.lastIndexOf('.'), 0)) || fn.handler;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = path.join(fn.assetDir, `${modulePath}${ext}`);
    if (existsSync(file)) return contentHash(readFileSync(file));
  }
  return undefined;
}

export interface BundleFile {
  /** File name in the bundle folder, e.g. `index.js`. */
  readonly name: string;
  readonly contents: Uint8Array;
}

/**
 * Writes the bundle to `<projectRoot>/.sluice/bundles/<first 16 hex digits of hash>` unless that
 * folder exists, through a private folder renamed into place (a reader never sees half a bundle).
 *
 * @returns the bundle folder (the function's new asset folder)
 */
export function storeBundle(projectRoot: string, hash: string, files: readonly BundleFile[]): string {
  const dir = path.join(projectRoot, BUNDLES_DIR, hash.slice(0, 16));
  if (existsSync(dir)) {
    const now = new Date();
    utimesSync(dir, now, now); // in use again: not pruned
    return dir;
  }
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const file of files) writeFileSync(path.join(partial, file.name), file.contents);
  try {
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return dir;
}

/** Removes bundle folders not written to for `maxAgeMs` (a day by default): a running local cloud only uses recent ones. */
export function pruneBundles(projectRoot: string, maxAgeMs = 24 * 3600_000, now = Date.now()): void {
  const parent = path.join(projectRoot, BUNDLES_DIR);
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const dir = path.join(parent, entry.name);
    if (entry.isDirectory() && now - statSync(dir).mtimeMs > maxAgeMs) rmSync(dir, { recursive: true, force: true });
  }
}
