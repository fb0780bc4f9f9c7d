import * as fs from 'node:fs';
import * as path from 'node:path';

/** One row of the fault matrix: what went in, what came out, and how often anything took effect twice. */
export interface FaultMatrixRow {
  /** Sort key and label, e.g. `a. consumer throws mid-batch`. */
  readonly scenario: string;
  readonly eventsIn: number;
  readonly applied: number;
  readonly inDlq: number;
  readonly duplicates: number;
  readonly note?: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const JSON_FILE = path.join(ROOT, '.sluice', 'fault-matrix.json');
const MARKDOWN_FILE = path.join(ROOT, '.sluice', 'fault-matrix.md');

/** The rows as a Markdown table. */
export function renderFaultMatrix(rows: readonly FaultMatrixRow[]): string {
  const lines = [
    '| scenario | events in | applied | in DLQ | duplicates | note |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.scenario} | ${r.eventsIn} | ${r.applied} | ${r.inDlq} | ${r.duplicates} | ${r.note ?? ''} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Records a scenario's row: merges it (by scenario) into `.sluice/fault-matrix.json`, rewrites
 * `.sluice/fault-matrix.md` and prints the table. Test files run one after another (in band),
 * so each adds its rows to what the earlier ones wrote.
 */
export function recordFaultMatrixRow(row: FaultMatrixRow): void {
  let rows: FaultMatrixRow[] = [];
  try {
    rows = JSON.parse(fs.readFileSync(JSON_FILE, 'utf8')) as FaultMatrixRow[];
  } catch {
    // First row of this run.
  }
  rows = [...rows.filter((r) => r.scenario !== row.scenario), row].sort((a, b) => a.scenario.localeCompare(b.scenario));
  fs.mkdirSync(path.dirname(JSON_FILE), { recursive: true });
  fs.writeFileSync(JSON_FILE, `${JSON.stringify(rows, null, 2)}\n`);
  const table = renderFaultMatrix(rows);
  fs.writeFileSync(MARKDOWN_FILE, `# Fault matrix (last run)\n\n${table}`);
  process.stdout.write(`\nfault matrix (${path.relative(ROOT, MARKDOWN_FILE)}):\n${table}\n`);
}
