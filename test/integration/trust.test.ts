/**
 * Consumers trust only the outbox: account-typed records put straight onto the events stream
 * (a real Kinesis PutRecord) go to the projector's DLQ as `untrusted_event` and never move a balance.
 */
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createEnvelope } from '../../lambdas/shared/envelope';
import { api } from './support/http';
import { peekAll } from './support/queues';
import { waitSettled } from './support/settled';
import { readModelAt, uniqueId } from './support/accounts';
import { clients, output } from './support/target';

/** Reasons of the projector DLQ letters that carry one of these sequence numbers (every letter read, none consumed). */
async function projectorLetters(sequenceNumbers: readonly string[]): Promise<Array<{ reason: string; sequenceNumber: string }>> {
  return (await peekAll(output('ProjectorDlqUrl')))
    .filter(({ body }) => sequenceNumbers.includes(body?.record?.sequenceNumber))
    .map(({ body }) => ({ sequenceNumber: body.record.sequenceNumber, reason: body.reason }));
}

async function forge(envelope: object, partitionKey: string): Promise<string> {
  const { SequenceNumber } = await clients.kinesis.send(
    new PutRecordCommand({
      StreamName: output('EventsStreamName'),
      PartitionKey: partitionKey,
      Data: Buffer.from(JSON.stringify(envelope)),
    }),
  );
  return SequenceNumber!;
}

describe('forged account events on the stream', () => {
  it('go to the projector DLQ as untrusted_event and never change a balance', async () => {
    const accountId = uniqueId('trust');
    expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 100 })).status).toBe(201);
    await readModelAt(accountId, 2);

    const deposit = (streamversion: number | undefined, source = 'sluice/accounts') =>
      createEnvelope({
        type: 'sluice.account.deposited.v2',
        source,
        subject: accountId,
        streamversion,
        data: { accountId, amount: 1_000_000, channel: 'api' },
      });
    const forged = [
      await forge(deposit(3), accountId), // looks like the outbox's next version, but the store holds no v3
      await forge(deposit(3, 'attacker/pos'), accountId), // the wrong source
      await forge(deposit(undefined), accountId), // no streamversion
    ];

    const letters = await waitSettled({
      probe: () => projectorLetters(forged),
      until: (l) => l.length >= forged.length,
      what: 'three untrusted letters in the projector DLQ',
    });
    expect(letters.map((l) => [l.sequenceNumber, l.reason]).sort()).toEqual(forged.map((sequenceNumber) => [sequenceNumber, 'untrusted_event']).sort());

    // The real v3 still applies, and the balance is only what was really deposited.
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 5 })).status).toBe(201);
    const { body } = await readModelAt(accountId, 3);
    expect(body.balance).toBe(105);
  });
});
