import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors';

/**
 * Every target has its own outputs file under `.sluice/`, so `npm start` and a `cdk deploy` never
 * overwrite each other: `outputs.local.json` is written by the local cloud, `outputs.<stage>.json`
 * by `cdk deploy --all -c stage=<stage> --outputs-file .sluice/outputs.<stage>.json`.
 */
export const OUTPUTS_DIR = '.sluice';

/** The stage name of the local cloud's outputs (`--stage local`, the default target). */
export const LOCAL_STAGE = 'local';

/**
 * The local cloud's outputs file says it is the local cloud's with this pseudo-stack, so the CLI
 * knows to use the local API key instead of reading a deployed one through `ApiKeyId`.
 */
export const LOCAL_CLOUD_MARKER = { stack: 'sluice-local-cloud', output: 'LocalCloud' } as const;

/** Stage names as `cdk deploy -c stage=…` takes them (they become part of stack names). */
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** `.sluice/outputs.<stage>.json`, relative to the working directory. */
export function outputsFileFor(stage: string): string {
  if (!STAGE_PATTERN.test(stage)) {
    throw new UsageError(`stage ${JSON.stringify(stage)} is not a stage name (lower-case letters, digits and -, starting with a letter, e.g. dev or prod)`);
  }
  return path.join(OUTPUTS_DIR, `outputs.${stage}.json`);
}

/** Where the local cloud writes its outputs unless told otherwise. */
export const LOCAL_OUTPUTS_FILE = outputsFileFor(LOCAL_STAGE);

/** How a command names its outputs file. */
export interface OutputsChoice {
  readonly outputs?: string;
  readonly stage?: string;
}

/**
 * The outputs file to read: `--outputs <file>`, else `--stage <stage>` (`.sluice/outputs.<stage>.json`),
 * else `SLUICE_OUTPUTS_FILE`, else the local cloud's `.sluice/outputs.local.json`.
 *
 * @throws {UsageError} when both `--outputs` and `--stage` are given (they would disagree).
 */
export function outputsFileOf(choice: OutputsChoice, env: NodeJS.ProcessEnv = process.env): string {
  if (choice.outputs && choice.stage) {
    throw new UsageError(`give --outputs ${choice.outputs} or --stage ${choice.stage}, not both (--stage ${choice.stage} reads ${outputsFileFor(choice.stage)})`);
  }
  if (choice.outputs) return choice.outputs;
  if (choice.stage) return outputsFileFor(choice.stage);
  return env.SLUICE_OUTPUTS_FILE || LOCAL_OUTPUTS_FILE;
}

/**
 * Stack outputs merged across stacks, from a file in the shape `cdk deploy --outputs-file` writes
 * (`{"<stack>": {"<OutputName>": "<value>"}}`) or a flat `{"<OutputName>": "<value>"}`.
 */
export interface Outputs {
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
  /** Stack names in the file, e.g. `sluice-dev-stateful`, `sluice-dev-stateless` (none for a flat file). */
  readonly stacks: readonly string[];
  /** True for the outputs the local cloud wrote (its API takes the local key). */
  readonly localCloud: boolean;
}

/**
 * Reads an outputs file.
 *
 * @throws {UsageError} when the file is missing, not JSON, or in neither shape (saying how to get one).
 */
export function loadOutputs(file: string = outputsFileOf({})): Outputs {
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `no stack outputs at ${file}: start the local cloud (npm start, writes ${LOCAL_OUTPUTS_FILE}), ` +
        `deploy with --outputs-file ${path.join(OUTPUTS_DIR, 'outputs.<stage>.json')} and pass --stage <stage>, or pass --outputs <file>`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message})`);
  }
  return parseOutputs(parsed, file);
}

/** Both shapes of an outputs document; see `Outputs`. */
export function parseOutputs(parsed: unknown, file: string): Outputs {
  const shapes = `expected {"<stack>": {"<OutputName>": "<value>"}} as cdk deploy --outputs-file writes it, or {"<OutputName>": "<value>"}`;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file} is not a stack outputs file (${shapes})`);
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.every(([, value]) => typeof value === 'string')) {
    return { file, values: parsed as Record<string, string>, stacks: [], localCloud: false };
  }
  const bad = entries.find(([, value]) => !value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string'));
  if (bad) throw new UsageError(`${file} is not a stack outputs file: ${JSON.stringify(bad[0])} is ${JSON.stringify(bad[1])} (${shapes})`);
  const byStack = parsed as Record<string, Record<string, string>>;
  const stacks = Object.keys(byStack).filter((stack) => stack !== LOCAL_CLOUD_MARKER.stack);
  return {
    file,
    values: Object.assign({}, ...stacks.map((stack) => byStack[stack])),
    stacks,
    localCloud: byStack[LOCAL_CLOUD_MARKER.stack]?.[LOCAL_CLOUD_MARKER.output] === 'true',
  };
}

/**
 * Writes the local cloud's outputs (the `cdk deploy --outputs-file` shape) with the local-cloud
 * marker, creating the directory.
 */
export function writeLocalOutputs(file: string, outputs: Readonly<Record<string, Readonly<Record<string, string>>>>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const marked = { ...outputs, [LOCAL_CLOUD_MARKER.stack]: { [LOCAL_CLOUD_MARKER.output]: 'true' } };
  fs.writeFileSync(file, `${JSON.stringify(marked, null, 2)}\n`);
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
