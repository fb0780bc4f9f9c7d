/**
 * Memory of the local cloud: the bench process (it hosts the endpoint, the Lambda runner, the
 * pollers and the API emulator in-process) plus every process below it (the DynamoDB Local JVM in
 * its jail, fauxqs, kinesalite, the Lambda sandboxes). Read from /proc, so Linux only; elsewhere the
 * figure is not measured. The tree walk, the parsing and the sums are pure and unit tested.
 *
 * Two sums, because the processes share pages: every sandbox maps the same Node binary (about 30 MB
 * resident) and the same shared libraries. The RSS sum counts those pages once per process that maps
 * them; the PSS sum ("proportional set size", `Pss:` of `/proc/<pid>/smaps_rollup`, see the kernel's
 * Documentation/filesystems/proc.rst) splits each shared page between its users, so it adds up to
 * the memory the tree really occupies. The goal is judged on PSS.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  /** The state letter of `/proc/<pid>/stat`: `T` for a stopped process (a frozen, idle sandbox), `R`, `S`, `Z`, … */
  readonly state?: string;
  readonly rssKb: number;
  /** Proportional set size, kB: undefined where smaps_rollup could not be read (kernel before 4.14). */
  readonly pssKb?: number;
  /** The command line (`/proc/<pid>/cmdline`, arguments joined by spaces), when it could be read. */
  readonly command?: string;
  /** For a Lambda sandbox: the function it runs (`AWS_LAMBDA_FUNCTION_NAME` of its environment). */
  readonly functionName?: string;
}

/** `pid`, `ppid`, the command name and the state from a `/proc/<pid>/stat` line (the name may hold spaces and parentheses). */
export function parseStat(stat: string): { pid: number; ppid: number; name: string; state: string } {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: "${stat.slice(0, 80)}"`);
  const rest = stat.slice(close + 2).split(' ');
  return { pid: Number(stat.slice(0, open).trim()), name: stat.slice(open + 1, close), state: rest[0], ppid: Number(rest[1]) };
}

/** `VmRSS` of a `/proc/<pid>/status` text, in kB (0 for a zombie or kernel thread, which have none). */
export function parseRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * `Pss` of a `/proc/<pid>/smaps_rollup` text, in kB (0 when the text has no mappings, as a zombie's).
 * Only the `Pss:` line: `Pss_Anon:`, `Pss_File:`, `Pss_Dirty:` are parts of it.
 */
export function parsePssKb(smapsRollup: string): number {
  const match = /^Pss:\s+(\d+)\s+kB/m.exec(smapsRollup);
  return match ? Number(match[1]) : 0;
}

/** The function a sandbox runs, from its `/proc/<pid>/environ` text (NUL-separated `NAME=value`). */
export function functionNameOf(environ: string): string | undefined {
  const entry = environ.split('\0').find((line) => line.startsWith('AWS_LAMBDA_FUNCTION_NAME='));
  return entry?.slice('AWS_LAMBDA_FUNCTION_NAME='.length);
}

/** `root` and all its descendants among `processes`. */
export function processTree<T extends Pick<ProcessInfo, 'pid' | 'ppid'>>(processes: readonly T[], root: number): T[] {
  const children = new Map<number, T[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const tree: T[] = [];
  const queue = processes.filter((info) => info.pid === root);
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

/** Command names a Node process shows in /proc: `node`, or `MainThread` (Node 24 names its main thread). */
const NODE_NAMES = new Set(['node', 'MainThread']);

/** A Lambda sandbox: a Node process running the local runner's bootstrap (local/runtime/bootstrap.js). */
export function isSandbox(info: Pick<ProcessInfo, 'command'>): boolean {
  return /(^|[\\/ ])local[\\/]runtime[\\/]bootstrap\.js( |$)/.test(info.command ?? '');
}

/**
 * What a process of the tree is: `main` (the root), `java` (DynamoDB Local), `sandbox` (a Lambda
 * sandbox, known by its command line), `node` (another Node process: fauxqs, kinesalite, the jail's
 * helper), `other` (anything else, e.g. `unshare`, an esbuild service, a shell).
 */
export function kindOf(info: ProcessInfo, root: number): string {
  if (info.pid === root) return 'main';
  if (info.name === 'java') return 'java';
  if (isSandbox(info)) return 'sandbox';
  return NODE_NAMES.has(info.name) ? 'node' : 'other';
}

export interface MemoryBreakdown {
  /** Sum of the processes' RSS, MB: shared pages counted once per process that maps them. */
  readonly totalMb: number;
  /** Sum of the processes' PSS, MB: shared pages split between their users. Undefined where /proc has no smaps_rollup. */
  readonly pssMb?: number;
  /** RSS MB per {@link kindOf kind}. */
  readonly byKind: Readonly<Record<string, number>>;
  /** PSS MB per {@link kindOf kind} (with {@link pssMb}). */
  readonly pssByKind?: Readonly<Record<string, number>>;
  /** What the `other` kind holds: RSS MB per command name (`unshare`, `esbuild`, …), so that it is never a mystery. */
  readonly otherByName: Readonly<Record<string, number>>;
  readonly processes: number;
  /** How many of the processes are Lambda sandboxes. */
  readonly sandboxes: number;
  /** How many of the sandboxes were frozen (SIGSTOP, state `T`): idle, kept for a next invocation. */
  readonly frozenSandboxes: number;
  /** Live sandboxes per function (those whose environment could be read). */
  readonly sandboxesByFunction: Readonly<Record<string, number>>;
  /** The bench phase running when the sample was taken ({@link sampleMemory}'s `phase`). */
  readonly phase?: string;
}

function add(record: Record<string, number>, key: string, value: number): void {
  record[key] = (record[key] ?? 0) + value;
}

/** Sums the tree's RSS and PSS, split by what the processes are. */
export function memoryBreakdown(tree: readonly ProcessInfo[], root: number): MemoryBreakdown {
  const byKind: Record<string, number> = {};
  const pssByKind: Record<string, number> = {};
  const otherByName: Record<string, number> = {};
  const sandboxesByFunction: Record<string, number> = {};
  let totalKb = 0;
  let pssKb = 0;
  let pssComplete = tree.length > 0;
  let sandboxes = 0;
  let frozenSandboxes = 0;
  for (const info of tree) {
    const kind = kindOf(info, root);
    if (kind === 'sandbox') {
      sandboxes += 1;
      if (info.state === 'T') frozenSandboxes += 1;
      add(sandboxesByFunction, info.functionName ?? '(unknown)', 1);
    }
    if (kind === 'other') add(otherByName, info.name, info.rssKb / 1024);
    add(byKind, kind, info.rssKb / 1024);
    totalKb += info.rssKb;
    if (info.pssKb === undefined) pssComplete = false;
    else {
      add(pssByKind, kind, info.pssKb / 1024);
      pssKb += info.pssKb;
    }
  }
  return {
    totalMb: totalKb / 1024,
    ...(pssComplete ? { pssMb: pssKb / 1024, pssByKind } : {}),
    byKind,
    otherByName,
    processes: tree.length,
    sandboxes,
    frozenSandboxes,
    sandboxesByFunction,
  };
}

/** The figure a breakdown is judged on: PSS where measured, else RSS. */
export function judgedMb(breakdown: MemoryBreakdown): number {
  return breakdown.pssMb ?? breakdown.totalMb;
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads a /proc file off the event loop; undefined when it cannot be read (the process exited, or is not ours). */
async function readOptionalAsync(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The processes this user can see, from /proc; with `root`, only `root` and its descendants.
 * Undefined where there is no /proc.
 *
 * Asynchronous, as {@link withPss}: the bench process hosts the local cloud it measures (endpoint,
 * runner, pollers, API emulator), and these reads are kernel work (smaps_rollup walks a process's
 * page tables). Read synchronously every second they blocked that event loop for about a fifth of
 * the latency phase (CPU profile at load 15, 2026-11-30), which every request of the pipeline waited out.
 * With `root`, every process's `stat` is read (it holds the parent's pid) but `cmdline` and
 * `status` only for the tree: reading all three for every process on the machine was still 7 % of
 * that event loop's time in the latency phase (CPU profile, 152 processes, load 8–20, 2026-11-30).
 */
export async function readProcesses(root?: number): Promise<ProcessInfo[] | undefined> {
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const stats = await Promise.all(entries.map((entry) => readOptionalAsync(`/proc/${entry}/stat`)));
  // Exited while being read, or not ours to read.
  const all = stats.flatMap((stat) => (stat === undefined ? [] : [parseStat(stat)]));
  const wanted = root === undefined ? all : processTree(all, root);
  const read = await Promise.all(
    wanted.map(async (info): Promise<ProcessInfo | undefined> => {
      const [cmdline, status] = await Promise.all([readOptionalAsync(`/proc/${info.pid}/cmdline`), readOptionalAsync(`/proc/${info.pid}/status`)]);
      if (cmdline === undefined || status === undefined) return undefined;
      return { ...info, rssKb: parseRssKb(status), command: cmdline.split('\0').join(' ').trim() };
    }),
  );
  return read.filter((info): info is ProcessInfo => info !== undefined);
}

/** True where the kernel has `/proc/<pid>/smaps_rollup` (Linux 4.14 and later). */
const HAS_SMAPS_ROLLUP = readOptional('/proc/self/smaps_rollup') !== undefined;

/**
 * Adds PSS (and a sandbox's function) to the processes of one tree: smaps_rollup is read only for
 * them, not for all of /proc. A process whose smaps_rollup cannot be read has exited since the tree
 * was read and is left out (on a kernel without smaps_rollup every process stays, without PSS).
 */
export async function withPss(tree: readonly ProcessInfo[]): Promise<ProcessInfo[]> {
  if (!HAS_SMAPS_ROLLUP) return [...tree];
  const read = await Promise.all(
    tree.map(async (info): Promise<ProcessInfo[]> => {
      const [rollup, environ] = await Promise.all([
        readOptionalAsync(`/proc/${info.pid}/smaps_rollup`),
        isSandbox(info) ? readOptionalAsync(`/proc/${info.pid}/environ`) : undefined,
      ]);
      if (rollup === undefined) return [];
      return [{ ...info, pssKb: parsePssKb(rollup), ...(environ === undefined ? {} : { functionName: functionNameOf(environ) }) }];
    }),
  );
  return read.flat();
}

export interface MemorySampler {
  /**
   * Names the bench phase that runs from now on: the peak sample says which phase it fell in.
   * Resolves once the sample that closes the previous phase has been read.
   */
  phase(name: string): Promise<void>;
  /** Stops sampling; the sample with the largest {@link judgedMb} (undefined without /proc). */
  stop(): MemoryBreakdown | undefined;
}

/**
 * Samples the tree under this process every `intervalMs` until `stop()`, and when a phase begins.
 * A sample reads /proc asynchronously (see {@link readProcesses}); one still reading when the next
 * is due makes that one skip, and `stop()` keeps the peak of the samples already read.
 */
export function sampleMemory(intervalMs = 1000, root = process.pid): MemorySampler {
  let peak: MemoryBreakdown | undefined;
  let phase: string | undefined;
  let reading = false;
  let stopped = false;
  const sample = async (inPhase: string | undefined) => {
    const processes = await readProcesses(root);
    if (!processes || stopped) return;
    const current = { ...memoryBreakdown(await withPss(processTree(processes, root)), root), phase: inPhase };
    if (!stopped && (!peak || judgedMb(current) > judgedMb(peak))) peak = current;
  };
  const tick = () => {
    if (reading) return;
    reading = true;
    void sample(phase).finally(() => (reading = false));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    phase(name) {
      const closing = sample(phase);
      phase = name;
      return closing;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      return peak;
    },
  };
}
