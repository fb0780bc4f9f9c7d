import { chunkMessages, MessageSendError, sendMessages, type OutgoingMessage } from '../../../../lambdas/shared/sqs';
import { FakeMessageBatchPort } from '../../../helpers/fake-message-batch-port';

const message = (body: string, groupId?: string): OutgoingMessage => ({ body, groupId });

describe('chunkMessages', () => {
  it('puts at most 10 messages in one call', () => {
    const messages = Array.from({ length: 23 }, (_, index) => message(String(index)));
    expect(chunkMessages(messages).map((chunk) => chunk.length)).toEqual([10, 10, 3]);
  });

  it('starts a new call before the bodies exceed 256 KiB', () => {
    const big = 'x'.repeat(100 * 1024);
    expect(chunkMessages([message(big), message(big), message(big)])).toEqual([[0, 1], [2]]);
  });
});

describe('sendMessages', () => {
  it('sends all messages in order and reports no failures', async () => {
    const port = new FakeMessageBatchPort();
    const messages = Array.from({ length: 12 }, (_, index) => message(`{"n":${index}}`, 'group-1'));

    const failures = await sendMessages(port, messages);

    expect(failures.size).toBe(0);
    expect(port.calls.flat()).toEqual(messages);
  });

  it('maps refused entries back to their position in the input', async () => {
    const port = new FakeMessageBatchPort((sent) => (sent.body === '"b"' || sent.body === '"l"' ? 'InternalError' : undefined));
    const messages = 'abcdefghijkl'.split('').map((letter) => message(JSON.stringify(letter)));

    const failures = await sendMessages(port, messages);

    expect([...failures.keys()]).toEqual([1, 11]);
    expect(failures.get(11)).toBeInstanceOf(MessageSendError);
    expect(failures.get(11)).toMatchObject({ code: 'message_send_failed', entryCode: 'InternalError' });
  });

  it('fails every message of a call that threw, and only those', async () => {
    let call = 0;
    const failures = await sendMessages(
      {
        sendMessageBatch: async () => {
          call += 1;
          if (call === 2) throw new Error('throttled');
          return [];
        },
      },
      Array.from({ length: 12 }, (_, index) => message(String(index))),
    );
    expect([...failures.keys()]).toEqual([10, 11]);
    expect(failures.get(10)).toMatchObject({ entryCode: 'call_failed' });
  });
});
