import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkpointPath, loadCheckpoint, pendingSegments, recordSegment, type ReplayCheckpoint, saveCheckpoint } from '../../../cli/checkpoint';
import { UsageError } from '../../../cli/errors';
import { captureError } from '../../helpers/capture-error';

const zero = { streams: 0, events: 0, rowsWritten: 0, rowsUnchanged: 0, skippedStreams: 0, failedStreams: 0 };

function newJob(job = 'read-model-20250131t120000000z', segments = 4): ReplayCheckpoint {
  return {
    job,
    kind: 'read-model',
    target: 'fresh',
    segments,
    tables: { balances: 'balances-rebuild-1', transactions: 'transactions-rebuild-1' },
    live: { balances: 'balances', transactions: 'transactions' },
    startedAt: '2025-01-31T12:00:00.000Z',
    done: [],
    counts: { ...zero },
    failures: [],
  };
}

describe('replay checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-checkpoint-')), 'replay');
  });

  it('writes a job and reads it back, stamped with the time of the save', () => {
    const job = newJob();
    saveCheckpoint(job, dir);
    const loaded = loadCheckpoint(job.job, dir);
    expect(loaded).toEqual({ ...job, updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(fs.readdirSync(dir)).toEqual([`${job.job}.json`]); // the temp file was renamed, not left behind
  });

  it('resumes with the segments not yet done, their counts and failures kept', () => {
    const job = newJob();
    recordSegment(job, 2, { counts: { ...zero, streams: 3, events: 9, rowsWritten: 6 }, failures: [] });
    recordSegment(job, 0, { counts: { ...zero, streams: 1, events: 2, failedStreams: 1 }, failures: [{ streamId: 'account#x', error: 'gap' }] });
    saveCheckpoint(job, dir);

    const resumed = loadCheckpoint(job.job, dir);
    expect(resumed.done).toEqual([0, 2]);
    expect(pendingSegments(resumed)).toEqual([1, 3]);
    expect(resumed.counts).toEqual({ ...zero, streams: 4, events: 11, rowsWritten: 6, failedStreams: 1 });
    expect(resumed.failures).toEqual([{ streamId: 'account#x', error: 'gap' }]);

    recordSegment(resumed, 1, { counts: zero, failures: [] });
    recordSegment(resumed, 3, { counts: zero, failures: [] });
    expect(pendingSegments(resumed)).toEqual([]);
  });

  it('marks a segment done once when it is recorded twice', () => {
    const job = newJob();
    recordSegment(job, 1, { counts: zero, failures: [] });
    recordSegment(job, 1, { counts: zero, failures: [] });
    expect(job.done).toEqual([1]);
  });

  it('names the missing job and lists the jobs there are', () => {
    saveCheckpoint(newJob('replica-1'), dir);
    expect(() => loadCheckpoint('read-model-2', dir)).toThrow(
      new UsageError(`no replay job read-model-2 (no ${checkpointPath('read-model-2', dir)}); jobs: replica-1`),
    );
  });

  it('says how to start a job when there is none', () => {
    expect(() => loadCheckpoint('read-model-2', dir)).toThrow(/no replay job read-model-2 .*; start one with sluice replay read-model/);
  });

  it('refuses a corrupt (truncated) file, naming it and saying to start a new job', () => {
    const job = newJob();
    saveCheckpoint(job, dir);
    const file = checkpointPath(job.job, dir);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
    const error = captureError(() => loadCheckpoint(job.job, dir)) as Error;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message.startsWith(`checkpoint ${file} is not JSON (`)).toBe(true);
    expect(error.message).toMatch(/; delete it and start a new job without --resume$/);
  });

  it.each([
    ['another job', { job: 'read-model-other' }, /job is "read-model-other"/],
    ['an unknown kind', { kind: 'balances' }, /kind must be read-model or replica \(got "balances"\)/],
    ['an unknown target', { target: 'somewhere' }, /target must be fresh or in-place \(got "somewhere"\)/],
    ['no segment count', { segments: 0 }, /segments must be a positive integer \(got 0\)/],
    ['a done segment out of range', { done: [0, 4] }, /done must list segment numbers from 0 to 3 \(got \[0,4\]\)/],
    ['no counts', { counts: undefined }, /counts is missing/],
    ['no failures list', { failures: 'none' }, /failures is missing/],
  ])('refuses a checkpoint with %s, saying what is wrong', (_, change, message) => {
    const job = newJob();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(checkpointPath(job.job, dir), JSON.stringify({ ...job, ...change }));
    expect(() => loadCheckpoint(job.job, dir)).toThrow(message);
    expect(() => loadCheckpoint(job.job, dir)).toThrow(/delete it and start a new job without --resume$/);
  });
});
