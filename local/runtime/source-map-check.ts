/**
 * Whether a debugger attached to a sandbox can show the function's TypeScript: the bundle must
 * end with a `//# sourceMappingURL` comment (the inspector reports it with the script, and VS Code
 * or Chrome DevTools load the map from it), and the map's `sources` must resolve, relative to the
 * bundle (and `sourceRoot`), to the files under `lambdas/` — sluice's bundles leave
 * `sourcesContent` out, so the debugger reads the sources from disk. The runner logs each problem
 * for an inspected function; nothing here changes a bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The bundle file a handler spec (`index.handler`) names in an asset folder, or undefined. */
export function bundleFile(assetDir: string, handler: string): string | undefined {
  const base = path.join(assetDir, handler.replace(/\.[^./]+$/, ''));
  return ['.js', '.mjs', '.cjs', ''].map((extension) => `${base}${extension}`).find((file) => existsSync(file));
}

/** The map a bundle's last `//# sourceMappingURL=` comment names (a file next to it), or undefined. */
export function sourceMapFileOf(bundle: string, code: string): string | undefined {
  const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code.slice(-1024));
  if (!match || match[1].startsWith('data:')) return undefined;
  return path.resolve(path.dirname(bundle), decodeURIComponent(match[1]));
}

/** The source files a map's `sources` name, as absolute paths (relative to the map's folder and `sourceRoot`). */
export function resolvedSources(mapFile: string, map: { sources?: readonly string[]; sourceRoot?: string }): string[] {
  const root = path.resolve(path.dirname(mapFile), map.sourceRoot ?? '');
  return (map.sources ?? []).map((source) => (source.startsWith('file://') ? new URL(source).pathname : path.resolve(root, source)));
}

/**
 * What stops a debugger from showing the function's sources; empty when nothing does.
 *
 * @example
 * sourceMapProblems('.sluice/cdk.out/abc/asset.123', 'index.handler'); // []
 */
export function sourceMapProblems(assetDir: string, handler: string): string[] {
  const bundle = bundleFile(assetDir, handler);
  if (!bundle) return [`no bundle for handler ${handler} in ${assetDir}: breakpoints cannot be set`];
  const mapFile = sourceMapFileOf(bundle, readFileSync(bundle, 'utf8'));
  const fix = 'bundle with source maps (lib/sluice-function.ts BUNDLING.sourceMap) and run npm start -- --synth';
  if (!mapFile) return [`${bundle} has no //# sourceMappingURL comment: the debugger shows the bundled JavaScript only; ${fix}`];
  if (!existsSync(mapFile)) return [`${bundle} names the source map ${mapFile}, which does not exist; ${fix}`];
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources?: string[]; sourceRoot?: string; sourcesContent?: unknown[] };
  if (Array.isArray(map.sourcesContent) && map.sourcesContent.length > 0) return [];
  const missing = resolvedSources(mapFile, map).filter((file) => !existsSync(file) && !file.includes(`${path.sep}node_modules${path.sep}`));
  if (missing.length === 0) return [];
  return [
    `${missing.length} source(s) of ${mapFile} do not resolve to a file (first: ${missing[0]}), and the map has no sourcesContent: ` +
      'breakpoints in those files will not bind; synthesize into .sluice/cdk.out (npm start -- --synth) so the relative paths point at lambdas/',
  ];
}
