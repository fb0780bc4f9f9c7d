import { othersPending, waitCarried, waitOthersQuiet, warmSandboxes, type DrainContext } from '../../../bench/measure/projection';
import type { InvocationRecord } from '../../../bench/measure/latency-trace';
import type { PendingItem } from '../../../local/settled';

const projectorShard: PendingItem = { kind: 'mapping', mapping: 'ProjectorMapping', function: 'projector', shard: 'shardId-000', behind: 100, inProgress: 0 };
const projectorRunning: PendingItem = { kind: 'invocation', function: 'projector', inFlight: 1 };
const notifierShard: PendingItem = { kind: 'mapping', mapping: 'NotifierMapping', function: 'notifier', shard: 'shardId-000', behind: 3, inProgress: 0 };
const workerRunning: PendingItem = { kind: 'invocation', function: 'notification-worker', inFlight: 2 };
const notifications: PendingItem = { kind: 'queue', queue: 'notifications', messages: 40, visible: 40, inFlight: 0, delayed: 0 };

/** A drain context whose `pending` answers the given lists in turn, the quick and the full checks each from their own list (the last one from then on). */
function contextAnswering(quick: PendingItem[][], full: PendingItem[][]): DrainContext & { calls: { quick: number; full: number } } {
  const calls = { quick: 0, full: 0 };
  const next = (answers: PendingItem[][], n: number) => answers[Math.min(n, answers.length - 1)]!;
  const context = {
    calls,
    pending: async (isQuick: boolean) => (isQuick ? next(quick, calls.quick++) : next(full, calls.full++)),
  };
  return context as unknown as DrainContext & { calls: { quick: number; full: number } };
}

describe('projection drain', () => {
  describe('othersPending', () => {
    it('leaves out only the drained function: its backlog and its invocations', () => {
      expect(othersPending([projectorShard, projectorRunning], 'projector')).toEqual([]);
    });

    it.each([
      ['another stream consumer', notifierShard],
      ['an SQS worker still running', workerRunning],
      ['a queue that is not empty', notifications],
    ])('keeps %s', (_name, item) => {
      expect(othersPending([projectorShard, item], 'projector')).toEqual([item]);
    });
  });

  describe('waitOthersQuiet', () => {
    it('returns only after two checks in a row find nothing but the drained backlog, making the full check only when the cheap one finds nothing', async () => {
      const context = contextAnswering([[notifications], [], [workerRunning], [], []], [[projectorShard, projectorRunning]]);

      await waitOthersQuiet(context, 'projector', Date.now() + 60_000);

      expect(context.calls).toEqual({ quick: 5, full: 3 });
    });

    it('is not quiet while the full check finds another consumer behind', async () => {
      const context = contextAnswering([[]], [[projectorShard, notifierShard], [projectorShard], [projectorShard]]);

      await waitOthersQuiet(context, 'projector', Date.now() + 60_000);

      expect(context.calls.full).toBe(3);
    });

    it('gives up at the deadline and returns what was still pending, so the round is timed anyway', async () => {
      const context = contextAnswering([[projectorShard, notifications]], [[projectorShard, notifications]]);

      await expect(waitOthersQuiet(context, 'projector', Date.now() - 1)).resolves.toEqual([notifications]);
    });

    it('returns nothing pending when the cloud got quiet', async () => {
      await expect(waitOthersQuiet(contextAnswering([[]], [[projectorShard]]), 'projector', Date.now() + 60_000)).resolves.toEqual([]);
    });
  });
});

describe('warmSandboxes', () => {
  const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/events';
  const app = {
    streams: [{ arn, shardCount: 4 }],
    mappings: [
      { kind: 'kinesis', functionName: 'projector', sourceArn: arn, parallelizationFactor: 1 },
      { kind: 'kinesis', functionName: 'notifier', sourceArn: arn, parallelizationFactor: 1 },
      { kind: 'sqs', functionName: 'projector', queueArn: 'arn:aws:sqs:us-east-1:000000000000:q' },
    ],
  };
  const runnerAnswering = (ok: boolean) => {
    const calls: Array<{ functionName: string; event: unknown }> = [];
    const runner = {
      calls,
      invoke: async (functionName: string, event: unknown) => {
        calls.push({ functionName, event });
        return ok ? { ok: true, payload: '{"batchItemFailures":[]}' } : { ok: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage: 'no handler' } };
      },
    };
    return runner;
  };

  it('invokes the function with no records once per shard lane of its stream mappings, all at once', async () => {
    const runner = runnerAnswering(true);

    const lanes = await warmSandboxes({ app, runner } as unknown as Parameters<typeof warmSandboxes>[0], 'projector');

    expect(lanes).toBe(4);
    expect(runner.calls).toEqual(Array.from({ length: 4 }, () => ({ functionName: 'projector', event: { Records: [] } })));
  });

  it('counts ParallelizationFactor lanes too', async () => {
    const runner = runnerAnswering(true);
    const factorTwo = { ...app, mappings: [{ ...app.mappings[0], parallelizationFactor: 2 }] };

    await expect(warmSandboxes({ app: factorTwo, runner } as unknown as Parameters<typeof warmSandboxes>[0], 'projector')).resolves.toBe(8);
  });

  it('fails when a warming invocation fails, so a broken function is not timed as a drain', async () => {
    await expect(warmSandboxes({ app, runner: runnerAnswering(false) } as unknown as Parameters<typeof warmSandboxes>[0], 'projector')).rejects.toThrow(
      /warming projector failed: Runtime.ImportModuleError/,
    );
  });
});

describe('waitCarried', () => {
  const carried = (functionName: string, eventIds: string[]): InvocationRecord => ({ functionName, eventIds, startMs: 0, endMs: 1 });

  it('resolves only once finished invocations of the function carried every event, however they came in', async () => {
    jest.useFakeTimers();
    try {
      const records: InvocationRecord[] = [carried('projector', ['e1']), carried('relay', ['e2', 'e3'])];
      let done = false;
      const waiting = waitCarried(records, 'projector', new Set(['e1', 'e2', 'e3']), Date.now() + 60_000).then(() => {
        done = true;
      });

      await jest.advanceTimersByTimeAsync(1_000); // many looks at the records
      expect(done).toBe(false); // the relay carrying e2 and e3 does not count
      records.push(carried('projector', ['e2']));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(done).toBe(false);
      records.push(carried('projector', ['e1', 'e3']));
      await jest.advanceTimersByTimeAsync(1_000);
      await waiting;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails at the deadline, saying how many events were never carried', async () => {
    await expect(waitCarried([carried('projector', ['e1'])], 'projector', new Set(['e1', 'e2']), Date.now() - 1)).rejects.toThrow(/1 of 2 events/);
  });
});
