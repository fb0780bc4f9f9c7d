import { spawn } from 'node:child_process';
import {
  functionNameOf,
  isSandbox,
  judgedMb,
  memoryBreakdown,
  parsePssKb,
  parseRssKb,
  parseStat,
  type ProcessInfo,
  processTree,
  readProcesses,
  sampleMemory,
  withPss,
} from '../../../bench/lib/memory';

describe('local cloud memory', () => {
  it('reads pid, parent and name from a stat line whose name holds spaces and parentheses', () => {
    expect(parseStat('4242 (node (fauxqs) x) S 4200 4242 4200 0 -1 4194560 1 0')).toEqual({ pid: 4242, ppid: 4200, name: 'node (fauxqs) x', state: 'S' });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseStat('garbage')).toThrow('not a /proc/<pid>/stat line: "garbage"');
  });

  it('reads VmRSS in kB, and 0 when there is none', () => {
    expect(parseRssKb('Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  388120 kB\nRssAnon: 1 kB\n')).toBe(388120);
    expect(parseRssKb('Name:\tkthreadd\nState:\tS\n')).toBe(0);
  });

  const bootstrap = '/opt/node/bin/node --max-old-space-size=231 /work/sluice/local/runtime/bootstrap.js';
  const processes: ProcessInfo[] = [
    { pid: 1, ppid: 0, name: 'init', rssKb: 10_000, pssKb: 9_000 },
    { pid: 100, ppid: 1, name: 'node', rssKb: 200 * 1024, pssKb: 180 * 1024 },
    { pid: 101, ppid: 100, name: 'unshare', rssKb: 1024, pssKb: 512 },
    { pid: 102, ppid: 101, name: 'java', rssKb: 300 * 1024, pssKb: 290 * 1024 },
    { pid: 103, ppid: 100, name: 'node', rssKb: 60 * 1024, pssKb: 50 * 1024 },
    { pid: 104, ppid: 100, name: 'MainThread', rssKb: 40 * 1024, pssKb: 20 * 1024, command: bootstrap, functionName: 'sluice-dev-projector' },
    { pid: 105, ppid: 100, name: 'node', rssKb: 20 * 1024, pssKb: 10 * 1024, command: 'node /work/sluice/node_modules/fauxqs/dist/cli.js --port 0' },
    { pid: 106, ppid: 100, name: 'MainThread', state: 'T', rssKb: 40 * 1024, pssKb: 20 * 1024, command: bootstrap, functionName: 'sluice-dev-projector' },
    { pid: 107, ppid: 100, name: 'esbuild', rssKb: 30 * 1024, pssKb: 25 * 1024, command: '/x/node_modules/@esbuild/linux-x64/bin/esbuild --service=0.25.0 --ping' },
    { pid: 200, ppid: 1, name: 'node', rssKb: 999 * 1024, pssKb: 999 * 1024 },
  ];

  it('takes the root and every descendant, grandchildren included, and nothing else', () => {
    expect(
      processTree(processes, 100)
        .map((info) => info.pid)
        .sort(),
    ).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('is empty for a root that is gone', () => {
    expect(processTree(processes, 999)).toEqual([]);
  });

  it('sums the tree in MB, RSS and PSS, split into the main process, the JVM, Lambda sandboxes (by their bootstrap), other child Node processes and the rest', () => {
    const breakdown = memoryBreakdown(processTree(processes, 100), 100);

    expect(breakdown).toEqual({
      totalMb: 691,
      pssMb: 595.5,
      processes: 8,
      sandboxes: 2,
      frozenSandboxes: 1,
      byKind: { main: 200, other: 31, java: 300, node: 80, sandbox: 80 },
      pssByKind: { main: 180, other: 25.5, java: 290, node: 60, sandbox: 40 },
      otherByName: { unshare: 1, esbuild: 30 },
      sandboxesByFunction: { 'sluice-dev-projector': 2 },
    });
    expect(judgedMb(breakdown)).toBe(595.5);
  });

  it('leaves PSS out, and judges on RSS, when any process of the tree has none (no smaps_rollup on this kernel)', () => {
    const tree = processTree(processes, 100).map((info) => (info.pid === 103 ? { ...info, pssKb: undefined } : info));
    const breakdown = memoryBreakdown(tree, 100);

    expect(breakdown.pssMb).toBeUndefined();
    expect(breakdown.pssByKind).toBeUndefined();
    expect(judgedMb(breakdown)).toBe(691);
  });

  it('counts a sandbox whose environment could not be read under (unknown)', () => {
    const { functionName, ...anonymous } = processes[5];
    expect(functionName).toBeDefined();
    expect(memoryBreakdown([anonymous], 1).sandboxesByFunction).toEqual({ '(unknown)': 1 });
  });

  it('knows a sandbox by the runner bootstrap in its command line, not by a file that merely ends the same', () => {
    expect(isSandbox({ command: 'node --inspect=127.0.0.1:9229 /x/local/runtime/bootstrap.js' })).toBe(true);
    expect(isSandbox({ command: 'node /x/not-local/runtime/bootstrap.js' })).toBe(false);
    expect(isSandbox({})).toBe(false);
  });
});

describe('reading /proc texts', () => {
  const rollup = [
    '55d1c0a00000-7ffd4a5f1000 ---p 00000000 00:00 0                          [rollup]',
    'Rss:               42920 kB',
    'Pss:               39646 kB',
    'Pss_Dirty:          8136 kB',
    'Pss_Anon:           8120 kB',
    'Pss_File:          31526 kB',
    'Shared_Clean:       3460 kB',
  ].join('\n');

  it('reads Pss of a smaps_rollup text in kB, not one of its parts (Pss_Anon, Pss_File)', () => {
    expect(parsePssKb(rollup)).toBe(39646);
    expect(parsePssKb(rollup.replace(/^Pss: .*$/m, ''))).toBe(0);
  });

  it("reads the sandbox's function from its NUL-separated environment", () => {
    expect(functionNameOf('PATH=/bin\0AWS_LAMBDA_FUNCTION_NAME=sluice-dev-query\0AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256\0')).toBe('sluice-dev-query');
    expect(functionNameOf('PATH=/bin\0')).toBeUndefined();
  });
});

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('sampling the local cloud (reads /proc)', () => {
  it('reads this process and its memory without blocking the event loop', async () => {
    const processes = readProcesses();
    expect(processes).toBeInstanceOf(Promise);
    const self = (await processes)?.find((info) => info.pid === process.pid);
    expect(self?.rssKb).toBeGreaterThan(0);
    const [withMemory] = await withPss([self!]);
    expect(withMemory.pssKb).toBeGreaterThan(0);
  });

  it('reads, under a root, only that process and its descendants', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const tree = (await readProcesses(process.pid))!;
      const all = (await readProcesses())!;

      expect(tree.map((info) => info.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(tree.find((info) => info.pid === child.pid)?.command).toBe('sleep 30');
      // Everything outside the tree is left out (the machine has other processes: pid 1 at least).
      expect(tree.length).toBeLessThan(all.length);
      const pids = new Set(tree.map((info) => info.pid));
      expect(tree.every((info) => info.pid === process.pid || pids.has(info.ppid))).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('returns before its first sample is read, and keeps the peak of the samples read by stop()', async () => {
    const sampler = sampleMemory(60_000);
    // A synchronous read would have a sample already: the bench's event loop would have waited for it.
    await sampler.phase('first');
    await sampler.phase('second');
    const peak = sampler.stop();
    expect(peak?.processes).toBeGreaterThan(0);
    expect(peak?.phase === undefined || peak.phase === 'first').toBe(true);
  });

  it('has no sample when stopped at once: the first one is still being read', () => {
    expect(sampleMemory(60_000).stop()).toBeUndefined();
  });
});
