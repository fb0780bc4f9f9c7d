/**
 * Builds the live console's page (`local/console/ui/`) into the folder the console routes serve
 * (`.sluice/console/`): `index.html` (the page at `CONSOLE_ROUTES.page`), `assets/console.js` and
 * `assets/console.css` (at `CONSOLE_ROUTES.assets` + `console.js`…). esbuild bundles Preact, htm and the sections into one minified script
 * for browsers: nothing is fetched from a CDN, no web font, so the console works offline.
 *
 * The asset URLs carry the content hash of the bundle (`?v=<hash>`), so a browser never runs a
 * stale script after the sources change, and a build whose page is already there writes nothing.
 *
 * A build is skipped when its sources are unchanged: `build.json` next to the page records the
 * files esbuild read (the UI sources and the packages' files) and a hash of their content (with
 * esbuild's version); when the same files still hash the same and the page is there, the last build
 * stands. Every `npm start` built the page anyway, an esbuild run in the seconds before the ready line.
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
import { withEsbuild } from '../bundles/esbuild-service';

/** Next to the page: what the last build read and made (see {@link currentBuild}). */
const STAMP_FILE = 'build.json';

interface BuildStamp {
  /** {@link sourcesKey} of `inputs` when the page was built. */
  readonly key: string;
  /** The files esbuild read, absolute. */
  readonly inputs: readonly string[];
  readonly build: Omit<ConsoleBuild, 'dir'>;
}

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

/** esbuild's version (from its package), part of the build's key: another esbuild may write other bytes. */
function esbuildVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'none';
  }
}

/**
 * This file (the build's options, the page) and the routes the page names: sources of the page that
 * esbuild does not read. `__dirname`, not `__filename`: in npm start's bundle only the former names the source.
 */
const PAGE_SOURCES = [path.join(__dirname, 'build.ts'), path.join(__dirname, 'contract.ts')];

/** A hash of each input's path and content, this file's and esbuild's version; undefined when an input is gone. */
function sourcesKey(inputs: readonly string[]): string | undefined {
  const hash = createHash('sha256').update(`${esbuildVersion()}\0`);
  for (const input of [...PAGE_SOURCES, ...[...inputs].sort()]) {
    try {
      hash.update(`${input}\0`).update(fs.readFileSync(input)).update('\0');
    } catch {
      return undefined;
    }
  }
  return hash.digest('hex');
}

/** The build in `dir` when its stamp's sources still hash the same and its files are there, else undefined. */
function currentBuild(dir: string): ConsoleBuild | undefined {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP_FILE), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
  if (!Array.isArray(stamp.inputs) || stamp.inputs.length === 0 || !stamp.build) return undefined;
  if (sourcesKey(stamp.inputs) !== stamp.key) return undefined;
  if (!stamp.build.files.every((file) => fs.existsSync(path.join(dir, file)))) return undefined;
  return { dir, ...stamp.build };
}

async function build(dir: string): Promise<ConsoleBuild> {
  const current = currentBuild(dir);
  if (current) return current;
  const { files: bundled, inputs } = await bundle();
  const hash = createHash('sha256').update(bundled[ASSET_JS]).update(bundled[ASSET_CSS]).digest('hex').slice(0, 16);
  const contents: Record<string, Buffer> = { ...bundled, 'index.html': Buffer.from(pageHtml(hash)) };
  const page = path.join(dir, 'index.html');
  if (!fs.existsSync(page) || fs.readFileSync(page, 'utf8') !== contents['index.html'].toString()) {
    // Assets first, index.html last: a page is never served before the files it names.
    for (const name of [ASSET_JS, ASSET_CSS, 'index.html']) writeAtomically(path.join(dir, name), contents[name]);
  }
  const files = Object.keys(contents).sort();
  const sizes = files.map((name) => ({ raw: contents[name].length, gzip: gzipSync(contents[name]).length }));
  const made = { files, bytes: sizes.reduce((sum, s) => sum + s.raw, 0), gzipBytes: sizes.reduce((sum, s) => sum + s.gzip, 0), hash };
  const key = sourcesKey(inputs);
  // A source that changed during the build leaves no stamp: the next start builds again.
  if (key) writeAtomically(path.join(dir, STAMP_FILE), Buffer.from(`${JSON.stringify({ key, inputs, build: made } satisfies BuildStamp, null, 2)}\n`));
  return { dir, ...made };
}

/** Writes through a temporary file and a rename, so a server reading the file meanwhile sees the old or the new one, whole. */
function writeAtomically(file: string, content: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/** The script and the stylesheet, minified for browsers, in memory, and the files esbuild read (absolute). */
async function bundle(): Promise<{ files: Record<typeof ASSET_JS | typeof ASSET_CSS, Buffer>; inputs: string[] }> {
  const result = await withEsbuild((esbuild) =>
    esbuild.build({
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
      metafile: true,
      logLevel: 'silent',
    }),
  );
  const byName = (ext: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`console.${ext}`));
    if (!file) throw new Error(`the console build made no console.${ext} (outputs: ${result.outputFiles.map((f) => f.path).join(', ')})`);
    return Buffer.from(file.contents);
  };
  // The metafile names inputs relative to esbuild's working directory.
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(input));
  return { files: { [ASSET_JS]: byName('js'), [ASSET_CSS]: byName('css') }, inputs };
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
