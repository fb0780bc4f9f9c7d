import { CreateQueueCommand, DeleteQueueCommand, type Message, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OpenAccount } from '../../../lambdas/domain/accounts';
import { stateChangedEvent, stateChangedMessageKeys } from '../../../lambdas/domain/integration';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { chaos } from '../faults/support/chaos';
import { emptyQueue, peekAll, queueDepth } from '../support/queues';
import { isExternalTarget, waitSettled } from '../support/settled';
import { clients, output } from '../support/target';
import { ndjson, sluice } from './run-cli';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** Sends bodies to a queue in batches of ten (FIFO: each with its group and deduplication id). */
async function fill(queueUrl: string, messages: ReadonlyArray<{ body: unknown; groupId?: string; deduplicationId?: string }>): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.slice(i, i + 10).map((m, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(m.body),
          ...(m.groupId ? { MessageGroupId: m.groupId } : {}),
          ...(m.deduplicationId ? { MessageDeduplicationId: m.deduplicationId } : {}),
        })),
      }),
    );
  }
}

/** Receives (and keeps hidden) every message of a queue of the test's own, with its attributes. */
async function receiveAll(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let round = 0; round < 100; round++) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 300,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    all.push(...Messages);
  }
  return all;
}

/** Runs `work` while SQS refuses the matching calls with a client error the SDK does not retry. */
async function refusing<T>(
  fault: { readonly operation: string; readonly match: string; readonly message: string; readonly times?: number },
  work: () => Promise<T>,
): Promise<T> {
  await chaos.add([
    {
      service: 'sqs',
      operation: fault.operation,
      match: fault.match,
      ...(fault.times ? { times: fault.times } : {}),
      error: { statusCode: 400, code: 'InvalidParameterValue', message: fault.message },
    },
  ]);
  try {
    return await work();
  } finally {
    await chaos.clear();
  }
}

/** An account just opened, as the state-transfer function reads it. */
const openAccount = (accountId: string): OpenAccount => {
  const now = new Date().toISOString();
  return { status: 'open', accountId, owner: 'Ada', currency: 'EUR', balance: 0, version: 1, openedAt: now, updatedAt: now };
};

const notification = (i: number, extra = '') => ({ notificationId: `n-${run}-${i}${extra}`, accountId: `acct-${run}`, eventType: 'sluice.account.deposited.v1' });

/**
 * `sluice redrive` on the stack's queue DLQs. Local only: it moves every message of a shared DLQ,
 * and these tests start from an empty one. Moved messages go to a queue of the test's own
 * (`--to <url>`), where the test can read them with their attributes before any consumer does.
 */
(isExternalTarget() ? describe.skip : describe)('sluice redrive (queue DLQs)', () => {
  const created: string[] = [];
  async function ownQueue(name: string, fifo = false): Promise<string> {
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `sluice-cli-${name}-${run}${fifo ? '.fifo' : ''}`,
        ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}),
      }),
    );
    created.push(QueueUrl!);
    return QueueUrl!;
  }
  beforeEach(async () => {
    await waitSettled({ timeoutSeconds: 180 }); // nothing else reaches the DLQs from now on
  }, 200_000);
  afterAll(async () => {
    for (const QueueUrl of created) await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  });

  it('counts and moves every message of a DLQ holding more than one receive returns (25)', async () => {
    const dlq = output('NotificationsDlqUrl');
    await emptyQueue(dlq);
    const bodies = Array.from({ length: 25 }, (_, i) => notification(i));
    await fill(
      dlq,
      bodies.map((body) => ({ body })),
    );

    const dry = await sluice(['redrive', 'notifications', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ dryRun: true, count: 25, queue: { visible: 25, inFlight: 0, delayed: 0 } });
    expect(
      dry
        .json()
        .messages.map((m: { summary: string }) => m.summary.split(' ')[1])
        .sort(),
    ).toEqual(bodies.map((b) => b.notificationId).sort());
    expect(await queueDepth(dlq)).toEqual({ visible: 25, inFlight: 0, delayed: 0 }); // a dry run leaves every message visible

    const tail = await sluice(['tail', '--queue', 'NotificationsDlqUrl', '--no-follow', '--json']);
    expect(ndjson(tail.stdout)).toHaveLength(25);

    const target = await ownQueue('moved');
    const moved = await sluice(['redrive', 'notifications', '--to', target, '--json', '--yes']);
    expect(moved.code).toBe(0);
    expect(moved.json()).toMatchObject({ kind: 'queue', moved: 25, failed: 0, failures: [] });
    expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect((await receiveAll(target)).map((m) => JSON.parse(m.Body!).notificationId).sort()).toEqual(bodies.map((b) => b.notificationId).sort());
  });

  it('moves the state-transfer FIFO DLQ keeping each message group, in group order, with a redrive deduplication id per DLQ message', async () => {
    const dlq = output('StateTransferDlqUrl');
    await emptyQueue(dlq);
    const messages = [
      { body: { n: 1 }, groupId: `acct-a-${run}`, deduplicationId: `acct-a-${run}#2` },
      { body: { n: 2 }, groupId: `acct-a-${run}`, deduplicationId: `acct-a-${run}#3` },
      { body: { n: 3 }, groupId: `acct-b-${run}`, deduplicationId: `acct-b-${run}#7` },
    ];
    await fill(dlq, messages);

    const dry = await sluice(['redrive', 'state-transfer', '--dry-run', '--json']);
    const listed: Array<{ messageId: string; groupId: string; deduplicationId: string }> = dry.json().messages;
    expect(listed.map((m) => [m.groupId, m.deduplicationId]).sort()).toEqual(messages.map((m) => [m.groupId, m.deduplicationId]).sort());
    // The original ids would be dropped by SQS within 5 minutes of their first send: each moves under its DLQ message's id.
    const redriveIdOf = new Map(listed.map((m) => [m.deduplicationId, `redrive:${m.messageId}`]));

    const target = await ownQueue('replica', true);
    const moved = await sluice(['redrive', 'state-transfer', '--to', target, '--json', '--yes']);
    expect(moved.code).toBe(0);
    expect(moved.json()).toMatchObject({ kind: 'queue', moved: 3, failed: 0 });
    const arrived = (await receiveAll(target)).map((m) => ({
      body: JSON.parse(m.Body!),
      groupId: m.Attributes!.MessageGroupId,
      deduplicationId: m.Attributes!.MessageDeduplicationId,
    }));
    expect(arrived.filter((m) => m.groupId === messages[0].groupId).map((m) => m.body.n)).toEqual([1, 2]);
    expect(arrived.sort((a, b) => a.body.n - b.body.n)).toEqual(messages.map((m) => ({ ...m, deduplicationId: redriveIdOf.get(m.deduplicationId) })));
    expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('redrives a state-transfer message to its own source queue within 5 minutes of its first send, and the replica applies it', async () => {
    const dlq = output('StateTransferDlqUrl');
    const source = output('StateTransferQueueUrl');
    const accountId = `acct-redrive-${run}`;
    const opened = createEnvelope({ source: 'sluice/test', type: 'sluice.account.opened.v1', subject: accountId, data: {} });
    const stateChanged = stateChangedEvent(opened, openAccount(accountId));
    const { groupId, deduplicationId } = stateChangedMessageKeys(stateChanged);
    // On AWS the message reaches the DLQ after maxReceiveCount failed receives of its first send,
    // which can be within the 5-minute deduplication interval; the test plays both parts. The
    // source queue has seen `<account>#1` (a first send the replica could not apply: it diverts it
    // to the DLQ, so the replica table stays without the account) ...
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: `not a state-changed event (${run})`,
        MessageGroupId: groupId,
        MessageDeduplicationId: deduplicationId,
      }),
    );
    await waitSettled();
    await emptyQueue(dlq);
    // ... and the DLQ holds the message with that group and deduplication id, as SQS moves it there.
    await fill(dlq, [{ body: stateChanged, groupId, deduplicationId }]);

    const moved = await sluice(['redrive', 'state-transfer', '--json', '--yes']);
    expect(moved.code).toBe(0);
    expect(moved.json()).toMatchObject({ kind: 'queue', source, moved: 1, failed: 0 });
    const replica = await waitSettled({
      probe: () => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId }, ConsistentRead: true })),
      until: (r) => r.Item !== undefined,
      what: `the replica of ${accountId} (the redriven message was dropped as a duplicate if it is missing)`,
    });
    expect(replica.Item).toMatchObject({ accountId, version: 1, balance: 0 });
    expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('sends a FIFO message once when a run fails between the send and the delete and is run again', async () => {
    const dlq = output('StateTransferDlqUrl');
    await emptyQueue(dlq);
    const groupId = `acct-c-${run}`;
    await fill(dlq, [{ body: { n: 1, run }, groupId, deduplicationId: `${groupId}#1` }]);
    const target = await ownQueue('rerun', true);
    // The run sends the message, then cannot delete it from the DLQ: it stays there.
    const crashed = await refusing({ operation: 'DeleteMessage', match: dlq.split('/').pop()!, times: 1, message: `delete refused by the test (${run})` }, () =>
      sluice(['redrive', 'state-transfer', '--to', target, '--json', '--yes']),
    );
    expect(crashed.code).toBe(1);
    expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const again = await sluice(['redrive', 'state-transfer', '--to', target, '--json', '--yes']);
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ moved: 1, failed: 0 });
    // The second send had the same redrive deduplication id: SQS accepted it and stored nothing.
    expect((await receiveAll(target)).map((m) => JSON.parse(m.Body!))).toEqual([{ n: 1, run }]);
    expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('keeps the messages it cannot re-send in the DLQ, names them, and exits 1', async () => {
    const dlq = output('NotificationsDlqUrl');
    await emptyQueue(dlq);
    const good = [notification(100), notification(101)];
    const bad = notification(102, '-cannot-resend');
    await fill(
      dlq,
      [...good, bad].map((body) => ({ body })),
    );
    const [badMessage] = (await peekAll(dlq)).filter((m) => m.body.notificationId === bad.notificationId);
    const target = await ownQueue('partial');
    // The source queue refuses this one message: a client error the SDK does not retry.
    const result = await refusing({ operation: 'SendMessage', match: bad.notificationId, message: `refused by the test (${run})` }, () =>
      sluice(['redrive', 'notifications', '--to', target, '--json', '--yes']),
    );
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      moved: 2,
      failed: 1,
      failures: [{ messageId: badMessage.messageId, error: `InvalidParameterValue: refused by the test (${run})` }],
    });
    expect(result.stderr).toBe(
      `sluice: 1 message(s) could not be re-sent to ${target} and stay in the DLQ (${badMessage.messageId}); fix the cause and run sluice redrive again\n`,
    );
    expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect((await peekAll(dlq)).map((m) => m.body)).toEqual([bad]);
    expect((await receiveAll(target)).map((m) => JSON.parse(m.Body!)).sort((a, b) => a.notificationId.localeCompare(b.notificationId))).toEqual(good);

    const pretty = await sluice(['redrive', 'notifications', '--to', target, '--dry-run']);
    expect(pretty.stdout).toMatch(/^1 message\(s\) in .* would be redriven \(dry run, nothing changed; the queue reports 1 visible, 0 in flight\)/);
    await emptyQueue(dlq);
  });
});
