/**
 * Builds the live console's page (`local/console/ui/`) into a folder the console routes serve:
 * `index.html` (the page at `CONSOLE_ROUTES.page`), `console.js` and `console.css` (under
 * `CONSOLE_ROUTES.assets`). esbuild bundles Preact, htm and the sections into one minified script
 * for browsers: nothing is fetched from a CDN, no web font, so the console works offline.
 *
 * The folder is named by the content hash of what it holds (`.sluice/console/<hash>/`): a second
 * start with the same sources writes nothing, and the asset URLs carry the hash so a browser never
 * runs a stale script after the sources change.
 *
 * @example
 * ```ts
 * const { dir, files } = await buildConsole();
 * // serve `${dir}/index.html` at CONSOLE_ROUTES.page and `${dir}/<file>` at CONSOLE_ROUTES.assets + file
 * ```
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_ROUTES } from './contract';

export interface ConsoleBuild {
  /** Absolute folder holding `files`. */
  readonly dir: string;
  /** File names in `dir`: `index.html`, `console.js`, `console.css`. */
  readonly files: readonly string[];
  /** Total size of `files`. */
  readonly bytes: number;
  /** Total size of `files` gzipped (what a compressing server would send). */
  readonly gzipBytes: number;
  /** Content hash of `files` (names `dir`). */
  readonly hash: string;
}

export interface ConsoleBuildOptions {
  /** Parent of the hashed folders. @default `<project root>/.sluice/console` */
  readonly outRoot?: string;
}

const UI_DIR = path.join(__dirname, 'ui');
const DEFAULT_OUT_ROOT = path.resolve(__dirname, '..', '..', '.sluice', 'console');

let cached: Promise<ConsoleBuild> | undefined;

/**
 * Builds the page once per process (later calls share the first build) and returns where it is.
 *
 * @throws Error naming the source file and line when esbuild cannot bundle the page
 */
export function buildConsole(options: ConsoleBuildOptions = {}): Promise<ConsoleBuild> {
  if (options.outRoot !== undefined) return build(options.outRoot);
  cached ??= build(DEFAULT_OUT_ROOT).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function build(outRoot: string): Promise<ConsoleBuild> {
  const bundled = await bundle();
  const hash = createHash('sha256').update(bundled['console.js']).update(bundled['console.css']).digest('hex').slice(0, 16);
  const contents: Record<string, Buffer> = { ...bundled, 'index.html': Buffer.from(pageHtml(hash)) };
  const dir = path.join(outRoot, hash);
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    fs.mkdirSync(dir, { recursive: true });
    // index.html last: its presence says the folder is complete.
    for (const name of ['console.js', 'console.css', 'index.html']) fs.writeFileSync(path.join(dir, name), contents[name]);
  }
  const files = Object.keys(contents).sort();
  const sizes = files.map((name) => ({ raw: contents[name].length, gzip: gzipSync(contents[name]).length }));
  return {
    dir,
    files,
    bytes: sizes.reduce((sum, s) => sum + s.raw, 0),
    gzipBytes: sizes.reduce((sum, s) => sum + s.gzip, 0),
    hash,
  };
}

/** The script and the stylesheet, minified for browsers, in memory. */
async function bundle(): Promise<Record<'console.js' | 'console.css', Buffer>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [
      { in: path.join(UI_DIR, 'main.ts'), out: 'console' },
      { in: path.join(UI_DIR, 'style.css'), out: 'console' },
    ],
    outdir: 'out',
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const byName = (ext: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`console.${ext}`));
    if (!file) throw new Error(`the console build made no console.${ext} (outputs: ${result.outputFiles.map((f) => f.path).join(', ')})`);
    return Buffer.from(file.contents);
  };
  return { 'console.js': byName('js'), 'console.css': byName('css') };
}

/** The page: the stylesheet, one root element, the script; a policy that allows only this origin. */
function pageHtml(hash: string): string {
  const asset = (name: string) => `${CONSOLE_ROUTES.assets}${name}?v=${hash}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:">
<title>sluice console</title>
<link rel="stylesheet" href="${asset('console.css')}">
</head>
<body>
<div id="app"></div>
<script src="${asset('console.js')}" defer></script>
</body>
</html>
`;
}
