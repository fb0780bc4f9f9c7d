/**
 * Builds the live console's page (`local/console/ui/`) into the folder the console routes serve
 * (`.sluice/console/`): `index.html` (the page at `CONSOLE_ROUTES.page`), `assets/console.js` and
 * `assets/console.css` (at `CONSOLE_ROUTES.assets` + `console.js`…). esbuild bundles Preact, htm and the sections into one minified script
 * for browsers: nothing is fetched from a CDN, no web font, so the console works offline.
 *
 * The asset URLs carry the content hash of the bundle (`?v=<hash>`), so a browser never runs a
 * stale script after the sources change, and a build whose page is already there writes nothing.
 *
 * @example
 * ```ts
 * const { dir, files, bytes } = await buildConsole(); // once, when the local cloud starts
 * // serve `${dir}/index.html` at CONSOLE_ROUTES.page and `${dir}/assets/<file>` at CONSOLE_ROUTES.assets + file
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
  /** Files in `dir`: `index.html`, `assets/console.js`, `assets/console.css`. */
  readonly files: readonly string[];
  /** Total size of `files`. */
  readonly bytes: number;
  /** Total size of `files` gzipped (what a compressing server would send). */
  readonly gzipBytes: number;
  /** Content hash of the script and the stylesheet (in the asset URLs). */
  readonly hash: string;
}

export interface ConsoleBuildOptions {
  /** Where to write the page. @default {@link CONSOLE_BUILD_DIR} */
  readonly dir?: string;
}

const UI_DIR = path.join(__dirname, 'ui');
/** Where the console routes read the page: `index.html`, and the assets under `assets/`. */
export const CONSOLE_BUILD_DIR = path.resolve(__dirname, '..', '..', '.sluice', 'console');
const ASSET_JS = 'assets/console.js';
const ASSET_CSS = 'assets/console.css';

let cached: Promise<ConsoleBuild> | undefined;

/**
 * Builds the page once per process (later calls share the first build) and returns where it is.
 *
 * @throws Error naming the source file and line when esbuild cannot bundle the page
 */
export function buildConsole(options: ConsoleBuildOptions = {}): Promise<ConsoleBuild> {
  if (options.dir !== undefined) return build(options.dir);
  cached ??= build(CONSOLE_BUILD_DIR).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function build(dir: string): Promise<ConsoleBuild> {
  const bundled = await bundle();
  const hash = createHash('sha256').update(bundled[ASSET_JS]).update(bundled[ASSET_CSS]).digest('hex').slice(0, 16);
  const contents: Record<string, Buffer> = { ...bundled, 'index.html': Buffer.from(pageHtml(hash)) };
  const page = path.join(dir, 'index.html');
  if (!fs.existsSync(page) || fs.readFileSync(page, 'utf8') !== contents['index.html'].toString()) {
    // Assets first, index.html last: a page is never served before the files it names.
    for (const name of [ASSET_JS, ASSET_CSS, 'index.html']) writeAtomically(path.join(dir, name), contents[name]);
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

/** Writes through a temporary file and a rename, so a server reading the file meanwhile sees the old or the new one, whole. */
function writeAtomically(file: string, content: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/** The script and the stylesheet, minified for browsers, in memory. */
async function bundle(): Promise<Record<typeof ASSET_JS | typeof ASSET_CSS, Buffer>> {
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
  return { [ASSET_JS]: byName('js'), [ASSET_CSS]: byName('css') };
}

/** The page: the stylesheet, one root element, the script; a policy that allows only this origin. */
function pageHtml(hash: string): string {
  const asset = (file: string) => `${CONSOLE_ROUTES.assets}${path.posix.basename(file)}?v=${hash}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:">
<title>sluice console</title>
<link rel="stylesheet" href="${asset(ASSET_CSS)}">
</head>
<body>
<div id="app"></div>
<script src="${asset(ASSET_JS)}" defer></script>
</body>
</html>
`;
}
