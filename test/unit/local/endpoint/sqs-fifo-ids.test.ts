import { withEmulatedActions } from '../../../../local/endpoint/sqs-emulated-actions';
import { fifoIdRefusal } from '../../../../local/endpoint/sqs-fifo-ids';

describe('fifoIdRefusal', () => {
  it('lets ids of 1–128 alphanumeric and punctuation characters through', () => {
    expect(fifoIdRefusal('SendMessage', { MessageGroupId: 'acc#1', MessageDeduplicationId: `${'x'.repeat(120)}!~[]\\{}` })).toBeUndefined();
    expect(fifoIdRefusal('SendMessage', {})).toBeUndefined();
  });

  it.each([
    ['MessageGroupId', ''],
    ['MessageGroupId', 'a b'],
    ['MessageDeduplicationId', 'x'.repeat(129)],
    ['MessageDeduplicationId', 'tab\there'],
    ['MessageDeduplicationId', 'ü'],
    ['MessageGroupId', 42],
  ])('names %s = %j', (parameter, value) => {
    expect(fifoIdRefusal('SendMessage', { [parameter]: value })).toContain(`for parameter ${parameter} is invalid`);
  });

  it('names the batch entry with the bad id', () => {
    const entries = [
      { Id: 'one', MessageGroupId: 'g' },
      { Id: 'two', MessageGroupId: 'g 2' },
    ];
    expect(fifoIdRefusal('SendMessageBatch', { Entries: entries })).toContain('MessageGroupId (batch entry "two")');
  });

  it('checks only sends', () => {
    expect(fifoIdRefusal('ReceiveMessage', { MessageGroupId: 'a b' })).toBeUndefined();
  });
});

describe('the query front', () => {
  it('refuses a bad id with InvalidParameterValue before the emulator sees it', async () => {
    const sent: string[] = [];
    const send = withEmulatedActions(async (call) => {
      sent.push(call.action);
      return { status: 200, body: '{}' };
    });
    const answer = await send({ action: 'SendMessage', input: { QueueUrl: 'q', MessageBody: 'b', MessageGroupId: 'a b' } });
    expect(answer.status).toBe(400);
    expect(answer.queryErrorHeader).toBe('InvalidParameterValue;Sender');
    expect(sent).toEqual([]);
    await send({ action: 'SendMessage', input: { QueueUrl: 'q', MessageBody: 'b', MessageGroupId: 'a-b' } });
    expect(sent).toEqual(['SendMessage']);
  });
});
