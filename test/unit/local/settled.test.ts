import type { LocalApp, LocalQueue, LocalStreamMapping } from '../../../local/model';
import { localQueue } from '../../support/factories/local-app';
import { DEFAULT_SETTLED_TIMEOUT_SECONDS, parseSettledTimeout, queuesToDrain, SettledProbe } from '../../../local/settled';

const queue = (name: string, redriveTo?: string): LocalQueue =>
  localQueue(name, {
    logicalId: name,
    ...(redriveTo ? { redrive: { deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${redriveTo}`, maxReceiveCount: 3 } } : {}),
  });

describe('parseSettledTimeout', () => {
  it('defaults when absent and accepts 0 to 300 seconds', () => {
    expect(parseSettledTimeout(null)).toBe(DEFAULT_SETTLED_TIMEOUT_SECONDS);
    expect(parseSettledTimeout('0')).toBe(0);
    expect(parseSettledTimeout('2.5')).toBe(2.5);
    expect(parseSettledTimeout('300')).toBe(300);
  });

  it.each(['', 'abc', '-1', '301', '1e3', 'Infinity', '10s'])('refuses %j, naming it and the range', (raw) => {
    expect(() => parseSettledTimeout(raw)).toThrow(new RegExp(`from 0 to 300 \\(got "${raw}"\\)`));
  });
});

describe('queuesToDrain', () => {
  it('leaves out the queues a RedrivePolicy or an on-failure destination targets, whatever their names', () => {
    const failures = queue('consumer-failures');
    const app = {
      queues: [queue('notifications', 'parking'), queue('parking'), failures, queue('orphan-dlq-looking-name')],
      mappings: [{ kind: 'kinesis', onFailureArn: failures.arn } as unknown as LocalStreamMapping],
    } as Pick<LocalApp, 'queues' | 'mappings'>;
    expect(queuesToDrain(app).map((q) => q.queueName)).toEqual(['notifications', 'orphan-dlq-looking-name']);
  });
});

describe('SettledProbe', () => {
  const app = { queues: [], mappings: [] } as unknown as LocalApp;
  const targets = { kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1' };

  /** A runner whose in-flight invocations the test ends by hand. */
  function fakeRunner() {
    const listeners = new Set<() => void>();
    const runner = {
      running: 0,
      invocationsStarted: 0,
      inFlight: (): Record<string, number> => (runner.running > 0 ? { fn: runner.running } : {}),
      onInvocationEnd: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      start() {
        runner.running += 1;
        runner.invocationsStarted += 1;
      },
      end() {
        runner.running -= 1;
        listeners.forEach((listener) => listener());
      },
    };
    return runner;
  }

  it('answers settled once the last invocation ends, re-checking on the end itself', async () => {
    const runner = fakeRunner();
    runner.start();
    const probe = new SettledProbe({ app, targets, runner, streamStatus: () => [] });
    const answer = probe.waitSettled(60_000);
    setImmediate(() => runner.end());
    await expect(answer).resolves.toMatchObject({ settled: true, checks: 2 });
    probe.close();
  });

  it('answers not settled at the timeout with what is in flight', async () => {
    const runner = fakeRunner();
    runner.start();
    const probe = new SettledProbe({ app, targets, runner, streamStatus: () => [] });
    await expect(probe.waitSettled(0)).resolves.toEqual(expect.objectContaining({ settled: false, pending: [{ kind: 'invocation', function: 'fn', inFlight: 1 }] }));
    probe.close();
  });

  it('reports a shard with records read and not checkpointed, without reading the emulator', async () => {
    const runner = fakeRunner();
    const mapping = { kind: 'kinesis', logicalId: 'ProjectorMapping', functionName: 'projector' } as LocalStreamMapping;
    const status = {
      mapping,
      streamArn: 'arn:stream',
      initialPosition: { type: 'TRIM_HORIZON' as const },
      shards: [{ shardId: 'shardId-0', checkpoint: '41', unfinished: 3, closed: false }],
    };
    const probe = new SettledProbe({ app, targets, runner, streamStatus: () => [status] });
    expect(await probe.pending(true)).toEqual([
      { kind: 'mapping', mapping: 'ProjectorMapping', function: 'projector', shard: 'shardId-0', behind: 3, inProgress: 3, checkpoint: '41' },
    ]);
    probe.close();
  });
});
