/**
 * Reads the shell examples out of Markdown so tests can run them as written: the README's
 * local-cloud blocks (with their `# →` output lines) and every `cdk` stack selector.
 */

/** One command of a shell block, continuation lines joined, with the output shown beside it. */
export interface ShellCommand {
  readonly command: string;
  /** 1-based line of the command in the Markdown file. */
  readonly line: number;
  /** The `# → ` lines after the command (`…` = anything), or empty when none are shown. */
  readonly expected: readonly string[];
}

const FENCE = /^\s*```\s*([\w-]*)/;
const SHELL = new Set(['bash', 'sh', 'shell']);
const OUTPUT = /^#\s*→\s?(.*)$/;

/** The commands of every ```bash / ```sh / ```shell block, in order, one array per block. */
export function shellBlocks(markdown: string): ShellCommand[][] {
  const blocks: ShellCommand[][] = [];
  let inFence = false;
  let current: Array<{ command: string; line: number; expected: string[] }> | undefined;
  let pending: { text: string; line: number } | undefined;
  markdown.split('\n').forEach((raw, index) => {
    const fence = raw.match(FENCE);
    if (fence) {
      if (!inFence && SHELL.has(fence[1])) current = [];
      if (inFence && current) blocks.push(current);
      if (inFence) current = undefined;
      inFence = !inFence;
      return;
    }
    if (!current) return;
    const text = raw.trimEnd();
    if (pending) {
      pending.text += `\n${text}`;
      if (!text.endsWith('\\')) {
        current.push({ command: pending.text, line: pending.line, expected: [] });
        pending = undefined;
      }
      return;
    }
    const output = text.match(OUTPUT);
    if (output) {
      current.at(-1)?.expected.push(output[1]);
      return;
    }
    if (text.trim() === '' || text.trimStart().startsWith('#')) return;
    if (text.endsWith('\\')) pending = { text, line: index + 1 };
    else current.push({ command: text, line: index + 1, expected: [] });
  });
  return blocks;
}

/** Whether a command talks to the local cloud: its API or AWS endpoint, the AWS CLI, the sluice CLI. */
export function talksToLocalCloud(command: string): boolean {
  return /localhost:(4566|3000)\b/.test(command) || /^(npx\s+)?sluice\s/.test(command) || /^aws\s/.test(command);
}

/** The blocks with at least one command that talks to the local cloud (all their commands). */
export function localCloudBlocks(markdown: string): ShellCommand[][] {
  return shellBlocks(markdown).filter((block) => block.some((c) => talksToLocalCloud(c.command)));
}

/** The command with the documented default ports (4566, 3000) moved, as SLUICE_AWS_PORT/SLUICE_API_PORT do. */
export function withPorts(command: string, ports: { readonly aws: number; readonly api: number }): string {
  return command.replace(/localhost:4566\b/g, `localhost:${ports.aws}`).replace(/localhost:3000\b/g, `localhost:${ports.api}`);
}

/** Output as compared: trailing spaces of each line and surrounding blank lines dropped. */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** The `# →` lines as a pattern for {@link normalizeOutput}ed output: `…` stands for any text. */
export function outputPattern(expected: readonly string[]): RegExp {
  const pattern = normalizeOutput(expected.join('\n'))
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`);
}

/** Whether `actual` (stdout) is what the `# →` lines show; `…` stands for any text, trailing spaces are ignored. */
export function outputMatches(expected: readonly string[], actual: string): boolean {
  return outputPattern(expected).test(normalizeOutput(actual));
}

/** CDK CLI options that take a value (the value is not a stack selector). */
const OPTIONS_WITH_VALUE = new Set([
  '-c',
  '--context',
  '--outputs-file',
  '--require-approval',
  '-o',
  '--output',
  '--profile',
  '-a',
  '--app',
  '--method',
  '--toolkit-stack-name',
  '--parameters',
]);
const SELECTING = new Set(['deploy', 'diff', 'synth', 'synthesize', 'destroy', 'ls', 'list', 'watch', 'import']);

export interface CdkSelector {
  readonly selector: string;
  /** The command it came from, for the failure message. */
  readonly command: string;
  /** The command's `--app` / `-a`, when it selects from another app than cdk.json's. */
  readonly app?: string;
}

/** Shell words of one command line: whitespace-separated, with '…' and "…" quoting. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * Every stack selector in a `cdk` / `cdklocal` command inside code (shell or unlabelled fenced
 * blocks and inline `code`): the positional arguments of deploy, diff, synth, destroy, ls, watch, import.
 */
export function cdkSelectors(markdown: string): CdkSelector[] {
  const code = [...markdown.matchAll(/```([\w-]*)[^\n]*\n([\s\S]*?)```/g)].filter((m) => m[1] === '' || SHELL.has(m[1])).map((m) => m[2]);
  const withoutFences = markdown.replace(/```[^\n]*\n[\s\S]*?```/g, '');
  code.push(...[...withoutFences.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]));
  const selectors: CdkSelector[] = [];
  for (const snippet of code) {
    // A trailing backslash continues the command on the next line.
    for (const line of snippet.replace(/\\\n\s*/g, ' ').split('\n')) {
      const match = line.replace(/\s#.*$/, '').match(/\bcdk(?:local)?\s+(\S+)(.*)$/);
      if (!match || !SELECTING.has(match[1])) continue;
      // `<one stack>`-style placeholders are prose, not selectors.
      const tokens = shellWords(match[2].replace(/<[^>]*>/g, ' '));
      const app = tokens.find((_token, i) => i > 0 && (tokens[i - 1] === '--app' || tokens[i - 1] === '-a'));
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        if (token === '&&' || token === '|' || token === ';') break;
        if (token.startsWith('-')) {
          if (OPTIONS_WITH_VALUE.has(token)) i++;
          continue;
        }
        selectors.push({ selector: token, command: line.trim(), ...(app ? { app } : {}) });
      }
    }
  }
  return selectors;
}

/**
 * The environment of a fresh shell for running documented commands: the test run's AWS_* and SLUICE_*
 * settings (the suite's endpoint, outputs file, credentials) removed, colours off, `extra` added.
 */
export function freshShellEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|SLUICE_)/.test(name)));
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}
