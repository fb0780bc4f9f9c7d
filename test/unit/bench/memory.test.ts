import { isSandbox, memoryBreakdown, parseRssKb, parseSmaps, parseStat, sharedOnceKb, type ProcessInfo, processTree } from '../../../bench/lib/memory';

describe('local cloud memory', () => {
  it('reads pid, parent and name from a stat line whose name holds spaces and parentheses', () => {
    expect(parseStat('4242 (node (fauxqs) x) S 4200 4242 4200 0 -1 4194560 1 0')).toEqual({ pid: 4242, ppid: 4200, name: 'node (fauxqs) x' });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseStat('garbage')).toThrow('not a /proc/<pid>/stat line: "garbage"');
  });

  it('reads VmRSS in kB, and 0 when there is none', () => {
    expect(parseRssKb('Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  388120 kB\nRssAnon: 1 kB\n')).toBe(388120);
    expect(parseRssKb('Name:\tkthreadd\nState:\tS\n')).toBe(0);
  });

  const processes: ProcessInfo[] = [
    { pid: 1, ppid: 0, name: 'init', rssKb: 10_000 },
    { pid: 100, ppid: 1, name: 'node', rssKb: 200 * 1024 },
    { pid: 101, ppid: 100, name: 'unshare', rssKb: 1024 },
    { pid: 102, ppid: 101, name: 'java', rssKb: 300 * 1024 },
    { pid: 103, ppid: 100, name: 'node', rssKb: 60 * 1024 },
    { pid: 104, ppid: 100, name: 'MainThread', rssKb: 40 * 1024, command: '/opt/node/bin/node --max-old-space-size=231 /work/sluice/local/runtime/bootstrap.js' },
    { pid: 105, ppid: 100, name: 'node', rssKb: 20 * 1024, command: 'node /work/sluice/node_modules/fauxqs/dist/cli.js --port 0' },
    { pid: 200, ppid: 1, name: 'node', rssKb: 999 * 1024 },
  ];

  it('takes the root and every descendant, grandchildren included, and nothing else', () => {
    expect(
      processTree(processes, 100)
        .map((info) => info.pid)
        .sort(),
    ).toEqual([100, 101, 102, 103, 104, 105]);
  });

  it('is empty for a root that is gone', () => {
    expect(processTree(processes, 999)).toEqual([]);
  });

  it('sums the tree in MB, split into the main process, the JVM, Lambda sandboxes (by their bootstrap), other child Node processes and the rest', () => {
    const breakdown = memoryBreakdown(processTree(processes, 100), 100);

    expect(breakdown).toEqual({ totalMb: 621, processes: 6, sandboxes: 1, byKind: { main: 200, other: 1, java: 300, node: 80, sandbox: 40 } });
  });

  it('knows a sandbox by the runner bootstrap in its command line, not by a file that merely ends the same', () => {
    expect(isSandbox({ command: 'node --inspect=127.0.0.1:9229 /x/local/runtime/bootstrap.js' })).toBe(true);
    expect(isSandbox({ command: 'node /x/not-local/runtime/bootstrap.js' })).toBe(false);
    expect(isSandbox({})).toBe(false);
  });
});

describe('memory with shared file pages counted once', () => {
  const smaps = (binaryKb: number, heapKb: number, anonKb: number) =>
    [
      '00400000-02a00000 r-xp 00000000 08:01 1234                               /opt/node24/bin/node',
      `Size:              40000 kB`,
      `Rss:               ${binaryKb} kB`,
      'Pss:                1000 kB',
      '02c00000-02e00000 rw-p 00000000 00:00 0                                  [heap]',
      `Rss:               ${heapKb} kB`,
      '7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ',
      `Rss:               ${anonKb} kB`,
    ].join('\n');

  it('splits a smaps text into anonymous kB and kB per mapped file', () => {
    const parsed = parseSmaps(smaps(35_000, 2_000, 6_000));
    expect(parsed.anonKb).toBe(8_000);
    expect([...parsed.fileKb]).toEqual([['/opt/node24/bin/node', 35_000]]);
  });

  it('counts each process its anonymous memory and each file once, at the most any process has of it', () => {
    expect(sharedOnceKb([parseSmaps(smaps(35_000, 2_000, 6_000)), parseSmaps(smaps(36_000, 1_000, 9_000))])).toBe(8_000 + 10_000 + 36_000);
  });
});
