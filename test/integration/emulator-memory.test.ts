import { readdirSync, readFileSync } from 'node:fs';
import { startDynamoDb, type DynamoDbEmulator } from '../../local/emulators/dynamodb';
import { startKinesis } from '../../local/emulators/kinesis';
import { startSqs } from '../../local/emulators/sqs';

/**
 * The emulators' memory settings as the launchers really start them (docs/local-cloud.md, "The
 * emulators' memory"): DynamoDB Local's flags and malloc arena cap must reach the `java` process
 * itself (in its loopback jail where user namespaces work), not only the jail's Node or `unshare`
 * in between; kinesalite's and fauxqs' hosts run with a 1 MB semi space.
 */
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

/** The first process named `java` under `root` (breadth first), from /proc. */
function javaUnder(root: number): number | undefined {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java') return pid;
    for (const [child, parent] of parentOf) if (parent === pid) queue.push(child);
  }
  return undefined;
}

const nulSeparated = (file: string) => readFileSync(file, 'utf8').split('\0').filter(Boolean);

describeOnLinux("DynamoDB Local's JVM", () => {
  let dynamo: DynamoDbEmulator;
  let java: number;
  beforeAll(async () => {
    dynamo = await startDynamoDb();
    java = javaUnder(dynamo.pid!)!;
  }, 90_000);
  afterAll(() => dynamo?.stop(), 30_000);

  it('starts with a small heap that gives memory back, under the same ceiling', () => {
    expect(java).toBeDefined();
    expect(nulSeparated(`/proc/${java}/cmdline`)).toEqual(
      expect.arrayContaining(['-Xms32m', '-Xmx256m', '-XX:MinHeapFreeRatio=10', '-XX:MaxHeapFreeRatio=30', '-XX:+UseSerialGC']),
    );
  });

  it('runs with at most two malloc arenas', () => {
    expect(nulSeparated(`/proc/${java}/environ`)).toContain('MALLOC_ARENA_MAX=2');
  });
});

describeOnLinux('the Node emulator hosts', () => {
  it.each([
    ['kinesalite', startKinesis],
    ['fauxqs', startSqs],
  ])('%s runs with a 1 MB semi space', async (_name, start) => {
    const host = await start();
    try {
      expect(nulSeparated(`/proc/${host.pid}/cmdline`)).toContain('--max-semi-space-size=1');
    } finally {
      await host.stop();
    }
  });
});
