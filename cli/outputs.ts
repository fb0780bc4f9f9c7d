import * as fs from 'node:fs';
import { UsageError } from './errors';

/** Environment variable naming the outputs file, as the integration suite sets it. */
export const OUTPUTS_FILE_ENV = 'SLUICE_OUTPUTS_FILE';
export const DEFAULT_OUTPUTS_FILE = '.sluice/outputs.json';

/**
 * Stack outputs from a file in the shape `cdk deploy --outputs-file` writes
 * (`{"<stack>": {"<OutputName>": "<value>"}}`), merged across stacks.
 */
export interface Outputs {
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
  /** Stack names in the file, e.g. `sluice-dev-stateful`, `sluice-dev-stateless`. */
  readonly stacks: readonly string[];
}

/**
 * Reads the outputs file: `--outputs`, else `SLUICE_OUTPUTS_FILE`, else `.sluice/outputs.json`.
 *
 * @throws {UsageError} when the file is missing or not an outputs file.
 */
export function loadOutputs(file = process.env[OUTPUTS_FILE_ENV] || DEFAULT_OUTPUTS_FILE): Outputs {
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `no stack outputs at ${file}: start the local cloud (npm start), deploy with --outputs-file ${DEFAULT_OUTPUTS_FILE}, or pass --outputs <file>`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${file} is not a stack outputs file (expected {"<stack>": {"<OutputName>": "<value>"}})`);
  }
  const byStack = parsed as Record<string, Record<string, string>>;
  return { file, values: Object.assign({}, ...Object.values(byStack)), stacks: Object.keys(byStack) };
}

/**
 * One output's value.
 *
 * @throws {UsageError} naming the outputs file and what it has.
 */
export function requireOutput(outputs: Outputs, name: string): string {
  const value = outputs.values[name];
  if (!value) {
    const known = Object.keys(outputs.values).filter((key) => !key.startsWith('ExportsOutput'));
    throw new UsageError(`stack output ${name} is missing in ${outputs.file}; it has ${known.join(', ')}`);
  }
  return value;
}
