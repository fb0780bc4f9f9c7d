/**
 * `conformance(behaviour, docUrl, quote, test)`: one test per documented AWS behaviour. The
 * behaviour is the test's name; the AWS documentation page and the sentence it checks travel with
 * it and are written, per test file, to `.sluice/conformance/meta/` when the file has run, where
 * `npm run conformance:table` joins them with the run's results into the table of
 * docs/local-cloud-differences.md. A quote marked `(paraphrased)` is not AWS's exact wording.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface ConformanceEntry {
  readonly behaviour: string;
  readonly docUrl: string;
  readonly quote: string;
  readonly file: string;
}

/** Pipelines that retry and wait out visibility timeouts need more than jest's 5 s. */
const DEFAULT_TIMEOUT_MS = 120_000;

export const META_DIR = path.resolve(__dirname, '..', '..', '..', '.sluice', 'conformance', 'meta');

const registered: Array<Omit<ConformanceEntry, 'file'>> = [];
let writerInstalled = false;

function installWriter(): void {
  writerInstalled = true;
  afterAll(() => {
    const testPath = expect.getState().testPath ?? 'unknown.test.ts';
    const file = path.relative(path.resolve(__dirname, '..', '..', '..'), testPath);
    mkdirSync(META_DIR, { recursive: true });
    const entries: ConformanceEntry[] = registered.map((entry) => ({ ...entry, file }));
    writeFileSync(path.join(META_DIR, `${path.basename(testPath)}.json`), `${JSON.stringify(entries, null, 2)}\n`);
  });
}

/**
 * Declares a conformance test.
 *
 * @throws when the page is not an AWS documentation page or the quote is empty
 */
export function conformance(behaviour: string, docUrl: string, quote: string, test: () => Promise<void>, timeoutMs?: number): void {
  if (!/^https:\/\/docs\.aws\.amazon\.com\//.test(docUrl)) throw new Error(`conformance test "${behaviour}" must cite an AWS documentation page (got "${docUrl}")`);
  if (quote.trim() === '') throw new Error(`conformance test "${behaviour}" must quote (or paraphrase) the sentence it checks`);
  if (!writerInstalled) installWriter();
  registered.push({ behaviour, docUrl, quote });
  it(behaviour, test, timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

/** A unique run id for one test: every record, item and message it creates carries it. */
export function newRun(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
