/**
 * The console's page and its assets. The page is the bundle `local/console/build.ts` writes into
 * {@link CONSOLE_BUNDLE_DIR} when the console is attached: its `index.html` and the script and
 * stylesheet it loads from `/_sluice/console/assets/`. Until a bundle is there (or when the build
 * failed), a minimal placeholder page says so. Files are read from disk on each request, so a
 * rebuild shows on reload.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpAnswer } from '../../endpoint/sqs-query';
import { CONSOLE_BUILD_DIR } from '../build';
import { CONSOLE_ROUTES } from '../contract';
import { notFound } from './refusal';

/** Where the page's bundle lives: `index.html` and the assets it loads. */
export const CONSOLE_BUNDLE_DIR = CONSOLE_BUILD_DIR;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** What every console file is served with: no caching (the bundle changes on rebuild), no framing by other sites. */
const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };

/** The placeholder served until the bundle is built; `buildError` says why it is not. */
export function placeholderPage(buildError?: string): string {
  const why = buildError ? `the build failed: ${escapeHtml(buildError)}` : `no index.html in ${escapeHtml(CONSOLE_BUNDLE_DIR)}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>sluice console</title></head>',
    '<body><h1>sluice console</h1>',
    `<p>The console's page is not built (${why}). Its routes still answer, e.g.`,
    `<a href="${CONSOLE_ROUTES.topology}">${CONSOLE_ROUTES.topology}</a>.</p>`,
    '</body></html>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page: the bundle's index.html, else the placeholder. */
export async function pageAnswer(bundleDir = CONSOLE_BUNDLE_DIR, buildError?: string): Promise<HttpAnswer> {
  const html = await readFile(path.join(bundleDir, 'index.html'), 'utf8').catch(() => placeholderPage(buildError));
  return { status: 200, headers: { ...HEADERS, 'content-type': CONTENT_TYPES['.html'] }, body: html };
}

/** A file to serve as it is, with its headers. */
export interface FileAnswer {
  readonly headers: Readonly<Record<string, string>>;
  readonly content: Buffer;
}

/**
 * One asset of the bundle (`file` is a single checked file name, see routes.ts).
 *
 * @throws ConsoleRefusal 404 when the bundle has no such file
 */
export async function assetAnswer(file: string, bundleDir = CONSOLE_BUNDLE_DIR): Promise<FileAnswer> {
  const content = await readFile(path.join(bundleDir, 'assets', file)).catch(() => undefined);
  if (!content) throw notFound(`no console asset ${file} in ${path.join(bundleDir, 'assets')}; build the console (local/console/build.ts)`);
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { headers: { ...HEADERS, 'content-type': type }, content };
}
