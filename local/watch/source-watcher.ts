/**
 * Watches folders of the project (`fs.watch` recursive: inotify on Linux from Node 20, FSEvents on
 * macOS) and hands on each burst of saves as one batch: an editor's save is often several events
 * (write, rename of a temp file, attribute change), and a `git checkout` is hundreds.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
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

/**
 * Watches each existing folder of `dirs` (absolute) and calls `onBatch` per burst of changes.
 *
 * @returns the function that stops watching
 */
export function watchSources(dirs: readonly string[], onBatch: (batch: ChangeBatch) => void, quietMs = DEBOUNCE_MS): () => void {
  const burst = new Debouncer(quietMs, onBatch);
  const watchers: FSWatcher[] = dirs
    .filter((dir) => existsSync(dir))
    .map((dir) =>
      watch(dir, { recursive: true, persistent: false }, (_event, name) => {
        // No file name (some platforms, some events): the folder itself stands for "something in it".
        const file = name ? path.join(dir, name.toString()) : dir;
        if (!isIgnoredFile(file)) burst.add(file);
      }),
    );
  return () => {
    burst.cancel();
    for (const watcher of watchers) watcher.close();
  };
}
