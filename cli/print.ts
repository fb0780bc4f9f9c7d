import { SingleBar, Presets } from 'cli-progress';

export { table } from './table';

/** Writes one line to stdout. */
export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Writes one JSON document to stdout (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes one compact JSON line to stdout (NDJSON). */
export function printNdjson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes a note to stderr (never mixed into machine output). */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** A progress bar, or a no-op when it must not show. */
export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { increment: () => undefined, setTotal: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr, shown only when stderr is a terminal and the output is not `--json`,
 * so scripts and pipes never see control characters.
 */
export function progress(label: string, total: number, json: boolean): Progress {
  if (json || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    setTotal: (value) => bar.setTotal(value),
    stop: () => bar.stop(),
  };
}

/** A short, one-line rendering of event data for pretty output. */
export function shortJson(value: unknown, max = 80): string {
  const text = value === undefined ? '' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
