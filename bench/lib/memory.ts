/**
 * Resident memory of the local cloud: the bench process (it hosts the endpoint, kinesalite, the
 * Lambda runner, the pollers and the API emulator in-process) plus every process below it (the
 * DynamoDB Local JVM in its jail, fauxqs, the Lambda sandboxes). Read from /proc, so Linux only;
 * elsewhere the figure is not measured. The tree walk and the sums are pure and unit tested.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  readonly rssKb: number;
  /** The command line (`/proc/<pid>/cmdline`, arguments joined by spaces), when it could be read. */
  readonly command?: string;
}

/** `pid`, `ppid` and the command name from a `/proc/<pid>/stat` line (the name may hold spaces and parentheses). */
export function parseStat(stat: string): { pid: number; ppid: number; name: string } {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: "${stat.slice(0, 80)}"`);
  const rest = stat.slice(close + 2).split(' ');
  return { pid: Number(stat.slice(0, open).trim()), name: stat.slice(open + 1, close), ppid: Number(rest[1]) };
}

/** `VmRSS` of a `/proc/<pid>/status` text, in kB (0 for a zombie or kernel thread, which have none). */
export function parseRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** `root` and all its descendants among `processes`. */
export function processTree(processes: readonly ProcessInfo[], root: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const tree: ProcessInfo[] = [];
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

export interface MemoryBreakdown {
  readonly totalMb: number;
  /**
   * MB per kind of process: `main` (the root), `java`, `sandbox` (the Lambda sandboxes, known by
   * their command line), `node` (other child Node processes: fauxqs; Node 24 names its main thread
   * `MainThread`), `other`.
   */
  readonly byKind: Readonly<Record<string, number>>;
  readonly processes: number;
  /** How many of the processes are Lambda sandboxes. */
  readonly sandboxes: number;
}

/** Sums the tree's RSS, split by what the processes are. */
export function memoryBreakdown(tree: readonly ProcessInfo[], root: number): MemoryBreakdown {
  const byKind: Record<string, number> = {};
  let totalKb = 0;
  let sandboxes = 0;
  for (const info of tree) {
    const kind =
      info.pid === root ? 'main' : info.name === 'java' ? 'java' : isSandbox(info) ? 'sandbox' : NODE_NAMES.has(info.name) ? 'node' : 'other';
    if (kind === 'sandbox') sandboxes += 1;
    byKind[kind] = (byKind[kind] ?? 0) + info.rssKb / 1024;
    totalKb += info.rssKb;
  }
  return { totalMb: totalKb / 1024, byKind, processes: tree.length, sandboxes };
}

/** Every process this user can see, from /proc; undefined where there is no /proc. */
export function readProcesses(): ProcessInfo[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    try {
      const stat = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ ...stat, rssKb: parseRssKb(readFileSync(`/proc/${entry}/status`, 'utf8')), command });
    } catch {
      // exited while being read, or not ours to read
    }
  }
  return out;
}

/**
 * Samples the tree under this process every `intervalMs` until `stop()`, which returns the sample
 * with the largest total (undefined without /proc).
 */
export function sampleMemory(intervalMs = 1000, root = process.pid): { stop(): MemoryBreakdown | undefined } {
  let peak: MemoryBreakdown | undefined;
  const sample = () => {
    const processes = readProcesses();
    if (!processes) return;
    const current = memoryBreakdown(processTree(processes, root), root);
    if (!peak || current.totalMb > peak.totalMb) peak = current;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
