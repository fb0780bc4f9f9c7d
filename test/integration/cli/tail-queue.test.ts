import { CreateQueueCommand, DeleteQueueCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { queueDepth } from '../support/queues';
import { clients } from '../support/target';
import { ndjson, sluice, startSluice } from './run-cli';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** The complete NDJSON lines of output still coming in (a chunk may end mid-line). */
const completeRows = (out: string) => ndjson(out.slice(0, out.lastIndexOf('\n') + 1));

/**
 * `sluice tail --queue` on a queue of the test's own (created here, given by URL), so what it
 * prints is exactly what the test put there, on the local cloud or a deployed stage alike.
 */
describe('sluice tail --queue', () => {
  let queueUrl: string;
  beforeAll(async () => {
    ({ QueueUrl: queueUrl = '' } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `sluice-cli-tail-${run}` })));
  });
  afterAll(async () => {
    await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });

  it('prints every message of the queue, more than one receive returns, and leaves them all there, visible', async () => {
    const bodies = Array.from({ length: 23 }, (_, i) => ({ notificationId: `n-${run}-${i}`, accountId: `acct-${run}`, eventType: 'sluice.account.deposited.v1' }));
    for (let i = 0; i < bodies.length; i += 10) {
      await clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) })),
        }),
      );
    }

    const result = await sluice(['tail', '--queue', queueUrl, '--no-follow', '--json']);
    expect(result.code).toBe(0);
    const rows = ndjson(result.stdout);
    expect(rows.map((row) => row.body.notificationId).sort()).toEqual(bodies.map((b) => b.notificationId).sort());
    expect(rows[0]).toEqual(
      expect.objectContaining({ queueUrl, messageId: expect.any(String), attributes: expect.objectContaining({ SentTimestamp: expect.any(String) }) }),
    );
    expect(await queueDepth(queueUrl)).toEqual({ visible: bodies.length, inFlight: 0, delayed: 0 });

    const pretty = await sluice(['tail', '--queue', queueUrl, '--no-follow', '--limit', '1']);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout.trim().split('\n')).toHaveLength(1);
    expect(pretty.stdout).toMatch(new RegExp(`sluice\\.account\\.deposited\\.v1  acct-${run}  `));
  });

  it('follows the queue: prints a message sent after it started, and stops cleanly on Ctrl-C (exit 0, nothing consumed)', async () => {
    const before = (await queueDepth(queueUrl)).visible;
    const tail = startSluice(['tail', '--queue', queueUrl, '--json', '--poll-ms', '200']);
    let ended;
    try {
      // It has read the queue as it was once it prints the last message already there.
      await tail.waitForOutput((out) => completeRows(out).length >= before, `the ${before} message(s) already queued`);
      const late = { notificationId: `late-${run}`, accountId: `acct-${run}` };
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(late) }));
      const out = await tail.waitForOutput(
        (text) => completeRows(text).some((row) => row.body?.notificationId === late.notificationId),
        'the message sent while it follows',
      );
      expect(completeRows(out).filter((row) => row.body?.notificationId === late.notificationId)).toHaveLength(1);
    } finally {
      ended = await tail.stop('SIGINT');
    }
    expect(ended).toEqual({ code: 0, signal: null, stderr: '' });
    expect(await queueDepth(queueUrl)).toEqual({ visible: before + 1, inFlight: 0, delayed: 0 });
  });
});
