/**
 * Consumers trust only the outbox: account-typed records put straight onto the events stream
 * (a real Kinesis PutRecord) go to the projector's DLQ as `untrusted_event` and never move a balance.
 */
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createEnvelope } from '../../lambdas/shared/envelope';
import { api } from './support/http';
import { eventually } from './support/eventually';
import { uniqueId } from './support/accounts';
import { clients, output } from './support/target';

/** Reasons of the projector DLQ letters that carry one of these sequence numbers (peeked, not deleted). */
async function projectorLetters(sequenceNumbers: readonly string[]): Promise<Array<{ reason: string; sequenceNumber: string }>> {
  const found = new Map<string, string>();
  for (let round = 0; round < 20; round++) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: output('ProjectorDlqUrl'), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}');
      const sequenceNumber = body.record?.sequenceNumber;
      if (sequenceNumbers.includes(sequenceNumber)) found.set(sequenceNumber, body.reason);
    }
  }
  return [...found].map(([sequenceNumber, reason]) => ({ sequenceNumber, reason }));
}

async function forge(envelope: object, partitionKey: string): Promise<string> {
  const { SequenceNumber } = await clients.kinesis.send(new PutRecordCommand({
    StreamName: output('EventsStreamName'), PartitionKey: partitionKey, Data: Buffer.from(JSON.stringify(envelope)),
  }));
  return SequenceNumber!;
}

describe('forged account events on the stream', () => {
  it('go to the projector DLQ as untrusted_event and never change a balance', async () => {
    const accountId = uniqueId('trust');
    expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 100 })).status).toBe(201);
    await eventually(() => api('GET', `/accounts/${accountId}`), (r) => r.status === 200 && r.body.version === 2, { what: 'read model at v2' });

    const deposit = (streamversion: number | undefined, source = 'sluice/accounts') => createEnvelope({
      type: 'sluice.account.deposited.v2', source, subject: accountId, streamversion,
      data: { accountId, amount: 1_000_000, channel: 'api' },
    });
    const forged = [
      await forge(deposit(3), accountId), // looks like the outbox's next version, but the store holds no v3
      await forge(deposit(3, 'attacker/pos'), accountId), // the wrong source
      await forge(deposit(undefined), accountId), // no streamversion
    ];

    const letters = await eventually(() => projectorLetters(forged), (l) => l.length === forged.length, { what: 'three untrusted letters in the projector DLQ', timeoutMs: 60_000 });
    expect(letters.map((l) => l.reason)).toEqual(['untrusted_event', 'untrusted_event', 'untrusted_event']);

    // The real v3 still applies, and the balance is only what was really deposited.
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 5 })).status).toBe(201);
    const { body } = await eventually(() => api('GET', `/accounts/${accountId}`), (r) => r.status === 200 && r.body.version === 3, { what: 'read model at v3' });
    expect(body.balance).toBe(105);
  });
});
