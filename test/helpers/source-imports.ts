import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The repository root, so paths in failure messages read as `lambdas/shared/foo.ts`. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** One import of one source file: a package name, or a repo-relative file path for a relative import. */
export interface SourceImport {
  /** The importing file, relative to the repository root. */
  readonly from: string;
  /** The specifier as written (`../../shared/zod`, `@aws-sdk/client-dynamodb`). */
  readonly specifier: string;
  /** The imported file relative to the repository root, for a relative import that resolves to one. */
  readonly file?: string;
}

/** Every `.ts` file under a repo-relative folder, repo-relative, sorted. */
export function sourceFiles(folder: string): string[] {
  const root = path.join(REPO_ROOT, folder);
  return (fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => path.relative(REPO_ROOT, path.join(root, name)).split(path.sep).join('/'))
    .sort();
}

/**
 * The imports of one file (static, `export … from`, dynamic `import()` and `require`), read with the
 * TypeScript scanner rather than a regular expression, so a string or a comment is never taken for one.
 */
export function importsOf(file: string): SourceImport[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { from: file, specifier };
    return { from: file, specifier, file: resolveRelative(file, specifier) };
  });
}

/** `./foo` from `a/b.ts` → `a/foo.ts` or `a/foo/index.ts`, whichever exists. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`, base].find(
    (candidate) => fs.existsSync(path.join(REPO_ROOT, candidate)) && fs.statSync(path.join(REPO_ROOT, candidate)).isFile(),
  );
}

/**
 * Every file `entry` reaches through relative imports (itself included), with the chain that
 * reaches it, so a failure can show how a forbidden import got in.
 */
export function reachableFrom(entries: readonly string[]): Map<string, readonly string[]> {
  const chains = new Map<string, readonly string[]>(entries.map((entry) => [entry, [entry]]));
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of importsOf(file)) {
      if (imported.file === undefined || chains.has(imported.file)) continue;
      chains.set(imported.file, [...(chains.get(file) ?? []), imported.file]);
      queue.push(imported.file);
    }
  }
  return chains;
}
