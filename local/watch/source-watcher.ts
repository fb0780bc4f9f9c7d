/**
 * Watches folders of the project and hands on each burst of saves as one batch: an editor's save
 * is often several events (write, rename of a temp file, attribute change), and a `git checkout`
 * is hundreds.
 *
 * One `fs.watch` per folder, not `fs.watch(dir, { recursive: true })`: on Linux, Node 20's
 * recursive watch follows files, and loses one for good once it is replaced by a rename (an
 * editor's atomic save, `git checkout`); a folder's watch reports its entries by name, whatever
 * their inode.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Quiet time after the last event before a batch is handed on. */
export const DEBOUNCE_MS = 40;

/** Editor droppings that are never sources: swap files, backups, vim's write test, emacs locks. */
export function isIgnoredFile(file: string): boolean {
  const base = path.basename(file);
  return base === '4913' || base.endsWith('~') || base.startsWith('.#') || /\.sw[a-p]$/.test(base) || base === '.DS_Store';
}

export interface ChangeBatch {
  /** Absolute paths that changed, sorted, once each. */
  readonly files: readonly string[];
  /** When the first event of the batch arrived (performance.now()). */
  readonly firstAt: number;
}

/**
 * Collects events until `quietMs` pass without one, then calls `flush` with the batch.
 *
 * @example
 * const burst = new Debouncer(40, (batch) => console.log(batch.files));
 * burst.add('/p/lambdas/query/handler.ts');
 */
export class Debouncer {
  private files = new Set<string>();
  private firstAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly flush: (batch: ChangeBatch) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(file: string): void {
    if (this.files.size === 0) this.firstAt = this.now();
    this.files.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), this.quietMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.files.clear();
  }

  private fire(): void {
    const batch = { files: [...this.files].sort(), firstAt: this.firstAt };
    this.files.clear();
    this.flush(batch);
  }
}

/** Folders never watched: dependencies and dot folders (`.git`, `.sluice`). */
const isSkippedFolder = (name: string) => name === 'node_modules' || name.startsWith('.');

/**
 * Watches `root` and every folder below it, one watch per folder; a folder created later is
 * watched from its first event on, and the files already in it are reported.
 *
 * @returns the function that stops every watch
 */
export function watchTree(root: string, onFile: (file: string) => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string, reportFiles: boolean) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => onEntry(dir, name ? name.toString() : undefined));
    } catch {
      return; // gone already
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !isSkippedFolder(entry.name)) add(path.join(dir, entry.name), reportFiles);
      else if (reportFiles && entry.isFile()) onFile(path.join(dir, entry.name));
    }
  };
  const onEntry = (dir: string, name: string | undefined) => {
    // No name (some platforms, some events): the folder stands for "something in it".
    const file = name ? path.join(dir, name) : dir;
    if (name && !isSkippedFolder(name) && isFolder(file)) add(file, true);
    onFile(file);
  };
  add(root, false);
  return () => {
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Watches each existing folder of `dirs` (absolute) and calls `onBatch` per burst of changes.
 *
 * @returns the function that stops watching
 */
export function watchSources(dirs: readonly string[], onBatch: (batch: ChangeBatch) => void, quietMs = DEBOUNCE_MS): () => void {
  const burst = new Debouncer(quietMs, onBatch);
  const stops = dirs
    .filter((dir) => existsSync(dir))
    .map((dir) =>
      watchTree(dir, (file) => {
        if (!isIgnoredFile(file)) burst.add(file);
      }),
    );
  return () => {
    burst.cancel();
    for (const stop of stops) stop();
  };
}
