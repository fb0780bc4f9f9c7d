/**
 * esbuild's service process is stopped once the local cloud's builds are done, and kept while an
 * incremental context (hot reload) lives on it. Observed as a child process of this one, the way
 * `ps` shows it to a user.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { esbuildIdle, esbuildStopPending, holdEsbuild, stopEsbuildWhenBuilt, withEsbuild } from '../../../../local/bundles/esbuild-service';

/** Pids of this process's children running `esbuild --service=…`. */
function allServiceChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the name in field 2 may hold spaces, so split after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--service=')) pids.push(Number(entry));
    } catch {
      // The process ended while it was read.
    }
  }
  return pids;
}

/**
 * Services another test file left in this worker (jest gives each file its own esbuild module, so
 * its own service) are not this module's to stop: only the ones started since this file began.
 */
let before = new Set<number>();
beforeAll(() => {
  before = new Set(allServiceChildren());
});
const serviceChildren = () => allServiceChildren().filter((pid) => !before.has(pid));

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const transform = () =>
  withEsbuild((esbuild) => esbuild.build({ stdin: { contents: 'export const a: number = 1;', loader: 'ts' }, write: false, logLevel: 'silent' }));

const onLinux = process.platform === 'linux' ? it : it.skip;

describe('esbuild service', () => {
  onLinux(
    'is stopped once no build is in flight, and started again by the next build',
    async () => {
      await transform();
      expect(serviceChildren()).toHaveLength(1);
      await until(() => serviceChildren().length === 0, 'the idle service is stopped');

      const result = await transform();
      expect(result.outputFiles[0].text).toContain('const a = 1');
    },
    30_000,
  );

  onLinux(
    'is kept while an incremental context holds it, stopped after the hold is released',
    async () => {
      const release = holdEsbuild();
      try {
        await transform();
        // The service stops only when an idle stop comes due; while held none is pending.
        expect(serviceChildren()).toHaveLength(1);
        expect(esbuildIdle()).toBe(false);
        expect(esbuildStopPending()).toBe(false);
      } finally {
        release();
        release(); // a second call must not release another holder's hold
      }
      expect(esbuildIdle()).toBe(true);
      expect(esbuildStopPending()).toBe(true);
      await until(() => serviceChildren().length === 0, 'the released service is stopped');
    },
    30_000,
  );

  onLinux(
    'stopped by a caller while a build is in flight, lets the build finish first and then stops',
    async () => {
      const building = transform();
      const stopping = stopEsbuildWhenBuilt();
      // esbuild's own stop() here would leave the build's promise pending for ever.
      const result = await building;
      expect(result.outputFiles[0].text).toContain('const a = 1');
      await stopping;
      await until(() => serviceChildren().length === 0, 'the service is stopped');
      expect(esbuildStopPending()).toBe(false);
    },
    30_000,
  );

  onLinux(
    'stops a service that a build outside it started (the CLI bundle calls esbuild directly)',
    async () => {
      // Fresh modules: this module has not yet run a build of its own, as in a bench whose synth was current.
      await jest.isolateModulesAsync(async () => {
        const esbuild = await import('esbuild');
        const service = await import('../../../../local/bundles/esbuild-service');
        await esbuild.build({ stdin: { contents: 'export const b = 2;' }, write: false, logLevel: 'silent' });
        expect(serviceChildren()).toHaveLength(1);
        await service.stopEsbuildWhenBuilt();
        await until(() => serviceChildren().length === 0, 'the service the direct build started is stopped');
      });
    },
    30_000,
  );
});
