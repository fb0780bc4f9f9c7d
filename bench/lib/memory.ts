/**
 * Resident memory of the local cloud: the bench process (it hosts the endpoint, the
 * Lambda runner, the pollers and the API emulator in-process) plus every process below it (the
 * DynamoDB Local JVM in its jail, fauxqs, kinesalite, the Lambda sandboxes). Read from /proc, so Linux only;
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
  /**
   * The same tree with each mapped file's pages counted once ({@link sharedOnceKb}): every
   * sandbox maps the same Node binary (about 35 MB resident), which `totalMb` counts once per
   * process. Set on the peak sample of {@link sampleMemory}.
   */
  readonly sharedOnceMb?: number;
}

/** A process's resident memory from its `/proc/<pid>/smaps`: anonymous kB, and kB per mapped file. */
export interface MappedMemory {
  readonly anonKb: number;
  readonly fileKb: ReadonlyMap<string, number>;
}

const SMAPS_HEADER = /^[0-9a-f]+-[0-9a-f]+ \S+ [0-9a-f]+ \S+ \d+\s*(.*)$/;

/** Sums `Rss:` per mapping of a `/proc/<pid>/smaps` text: pseudo-paths (`[heap]`, `[stack]`) and unnamed mappings are anonymous. */
export function parseSmaps(smaps: string): MappedMemory {
  let anonKb = 0;
  const fileKb = new Map<string, number>();
  let current = '';
  for (const line of smaps.split('\n')) {
    const header = SMAPS_HEADER.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    if (current === '' || current.startsWith('[')) anonKb += Number(rss[1]);
    else fileKb.set(current, (fileKb.get(current) ?? 0) + Number(rss[1]));
  }
  return { anonKb, fileKb };
}

/**
 * Resident kB of a set of processes with shared file pages counted once: every process's anonymous
 * memory, plus for each mapped file the most any one process has resident (a lower bound of the
 * union of their pages, and close to it: processes of one binary touch mostly the same pages).
 */
export function sharedOnceKb(processes: readonly MappedMemory[]): number {
  const files = new Map<string, number>();
  let total = 0;
  for (const memory of processes) {
    total += memory.anonKb;
    for (const [file, kb] of memory.fileKb) files.set(file, Math.max(files.get(file) ?? 0, kb));
  }
  for (const kb of files.values()) total += kb;
  return total;
}

/** {@link sharedOnceKb} of the given processes in MB, from /proc (those that exited meanwhile are left out). */
function readSharedOnceMb(pids: readonly number[]): number {
  const mapped: MappedMemory[] = [];
  for (const pid of pids) {
    try {
      mapped.push(parseSmaps(readFileSync(`/proc/${pid}/smaps`, 'utf8')));
    } catch {
      // exited while being read
    }
  }
  return sharedOnceKb(mapped) / 1024;
}

/** Sums the tree's RSS, split by what the processes are. */
export function memoryBreakdown(tree: readonly ProcessInfo[], root: number): MemoryBreakdown {
  const byKind: Record<string, number> = {};
  let totalKb = 0;
  let sandboxes = 0;
  for (const info of tree) {
    const kind = info.pid === root ? 'main' : info.name === 'java' ? 'java' : isSandbox(info) ? 'sandbox' : NODE_NAMES.has(info.name) ? 'node' : 'other';
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
    const tree = processTree(processes, root);
    const current = memoryBreakdown(tree, root);
    // Reading every mapping is slower than /proc/<pid>/status: only for a new peak.
    if (!peak || current.totalMb > peak.totalMb) peak = { ...current, sharedOnceMb: readSharedOnceMb(tree.map((info) => info.pid)) };
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
