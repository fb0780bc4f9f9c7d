/**
 * `npm start -- --inspect <function>`: which functions run with a Node inspector, and on which
 * port. Pure: the option values and the app's functions come in, the targets go out, so the
 * naming and the port rules are unit-tested.
 *
 * A function may be named as the banner and the logs show it (`projector`), by its logical id
 * (`ProjectorFunction325B6222`, or without the hash, `ProjectorFunction`) or by its physical name.
 * Its port is `base + its index among all the app's functions sorted by short name`, so it stays
 * the same across restarts and whichever other functions are inspected, unless given as
 * `name=port`. The base is `SLUICE_INSPECT_PORT`, else 9229 (Node's own default).
 */
import type { LocalFunction } from '../model';

/** Node's default inspector port, and the first port sluice hands out. */
export const DEFAULT_INSPECT_BASE_PORT = 9229;

/** One `--inspect` value: a function name and, with `name=port`, its port. */
export interface InspectRequest {
  readonly name: string;
  readonly port?: number;
}

/** A function that runs with an inspector: its one sandbox listens on `port` (127.0.0.1). */
export interface InspectTarget {
  readonly functionName: string;
  readonly displayName: string;
  readonly port: number;
}

/**
 * Splits `--inspect` values (each may list several, comma-separated) into requests.
 *
 * @example
 * parseInspectValues(['projector', 'query=9300,notifier']);
 * // [{ name: 'projector' }, { name: 'query', port: 9300 }, { name: 'notifier' }]
 * @throws Error for an empty name or a port that is not 1–65535
 */
export function parseInspectValues(values: readonly string[]): InspectRequest[] {
  const requests: InspectRequest[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const [name, port, extra] = part.trim().split('=');
      if (!name) throw new Error(`--inspect needs a function name, e.g. --inspect projector or --inspect projector=9230 (got "${value}")`);
      if (extra !== undefined) throw new Error(`--inspect takes <function> or <function>=<port> (got "${part}")`);
      requests.push(port === undefined ? { name } : { name, port: parsePort(port, `--inspect ${part}`) });
    }
  }
  return requests;
}

/** `SLUICE_INSPECT_PORT` as the base port, or the default. @throws Error when it is not a port */
export function inspectBasePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SLUICE_INSPECT_PORT;
  return raw === undefined || raw === '' ? DEFAULT_INSPECT_BASE_PORT : parsePort(raw, 'SLUICE_INSPECT_PORT');
}

type NamedFunction = Pick<LocalFunction, 'functionName' | 'displayName' | 'logicalId'>;

/** The names a function answers to, lower-cased. */
function namesOf(fn: NamedFunction): string[] {
  return [fn.displayName, fn.logicalId, fn.logicalId.replace(/[0-9A-F]{8}$/, ''), fn.functionName].map((name) => name.toLowerCase());
}

/**
 * Resolves the requests against the app's functions.
 *
 * @throws Error naming an unknown function (with the known ones), or two inspected functions on one port
 */
export function resolveInspectTargets(requests: readonly InspectRequest[], functions: readonly NamedFunction[], basePort: number): InspectTarget[] {
  const sorted = [...functions].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.functionName.localeCompare(b.functionName));
  const targets = new Map<string, InspectTarget>();
  for (const request of requests) {
    const wanted = request.name.toLowerCase();
    const index = sorted.findIndex((fn) => namesOf(fn).includes(wanted));
    if (index < 0) {
      throw new Error(
        `--inspect ${request.name}: no such function. Known functions: ${sorted.map((fn) => `${fn.displayName} (${fn.logicalId}, ${fn.functionName})`).join(', ')}`,
      );
    }
    const fn = sorted[index];
    const port = request.port ?? basePort + index;
    if (port > 65_535) throw new Error(`--inspect ${request.name}: port ${port} (base ${basePort} + ${index}) is above 65535; lower SLUICE_INSPECT_PORT`);
    targets.set(fn.functionName, { functionName: fn.functionName, displayName: fn.displayName, port });
  }
  const byPort = new Map<number, InspectTarget>();
  for (const target of targets.values()) {
    const other = byPort.get(target.port);
    if (other)
      throw new Error(
        `--inspect: ${other.displayName} and ${target.displayName} would both listen on port ${target.port}; give one another port (--inspect ${target.displayName}=<port>)`,
      );
    byPort.set(target.port, target);
  }
  return [...targets.values()].sort((a, b) => a.port - b.port);
}

/** The Node flag that opens the sandbox's inspector: loopback only, as the port is not authenticated. */
export function inspectFlag(port: number): string {
  return `--inspect=127.0.0.1:${port}`;
}

function parsePort(raw: string, what: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) throw new Error(`${what}: "${raw}" is not a port (1–65535)`);
  return port;
}

/** The ready banner's lines for the inspected functions (none without `--inspect`). */
export function inspectBannerLines(targets: readonly InspectTarget[]): string[] {
  if (targets.length === 0) return [];
  return [
    '',
    '  inspectors (one sandbox per inspected function; its timeout is logged, not enforced; see docs/debugging.md)',
    ...targets.map((target) => `    ${target.displayName.padEnd(32)} 127.0.0.1:${target.port}   (VS Code: attach to port ${target.port}; Chrome: chrome://inspect)`),
  ];
}
