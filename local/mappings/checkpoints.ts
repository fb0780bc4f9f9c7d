/**
 * Where stream mappings keep their checkpoints: in memory (the default), or in a JSON file with
 * `--persist`, so a restarted local cloud resumes each shard after its last processed record.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Last processed sequence number per mapping and shard. */
export interface CheckpointStore {
  get(mappingKey: string, shardId: string): string | undefined;
  put(mappingKey: string, shardId: string, sequenceNumber: string): void;
  /** Writes what is pending now (no-op for memory). */
  flush(): void;
}

type CheckpointFile = { version: 1; mappings: Record<string, Record<string, string>> };

/**
 * Checkpoints in a JSON file (`.sluice/data/checkpoints.json`): loaded once, written at most every
 * `flushDelayMs` after a commit (atomically: temp file + rename) and on `flush()`.
 *
 * A crash loses at most the last `flushDelayMs` of commits: those records are delivered again
 * after the restart, which at-least-once consumers must tolerate anyway.
 *
 * @example
 * const store = new FileCheckpointStore('.sluice/data/checkpoints.json');
 * store.put('projector|ProjectorMapping|arn:...', 'shardId-000000000000', '4959...');
 * store.flush();
 */
export class FileCheckpointStore implements CheckpointStore {
  private readonly data: CheckpointFile;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly flushDelayMs = 100,
  ) {
    this.data = FileCheckpointStore.load(file);
  }

  private static load(file: string): CheckpointFile {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CheckpointFile>;
      if (parsed && typeof parsed.mappings === 'object' && parsed.mappings !== null) return { version: 1, mappings: parsed.mappings };
    } catch {
      // No file yet (first run) or an unreadable one: start without checkpoints.
    }
    return { version: 1, mappings: {} };
  }

  get(mappingKey: string, shardId: string): string | undefined {
    return this.data.mappings[mappingKey]?.[shardId];
  }

  put(mappingKey: string, shardId: string, sequenceNumber: string): void {
    (this.data.mappings[mappingKey] ??= {})[shardId] = sequenceNumber;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushDelayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}
