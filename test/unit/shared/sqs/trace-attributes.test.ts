import { chunkMessages, messageBytes } from '../../../../lambdas/shared/sqs/message-sender';
import { traceAttributes, traceparentOfMessage } from '../../../../lambdas/shared/sqs/trace-attributes';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceAttributes', () => {
  it('puts the event traceparent in a traceparent message attribute', () => {
    expect(traceAttributes({ traceparent: TRACEPARENT })).toEqual({ attributes: { traceparent: TRACEPARENT } });
  });

  it('adds nothing for an event without one', () => {
    expect(traceAttributes({})).toEqual({});
  });
});

describe('traceparentOfMessage', () => {
  const record = (stringValue: string) => ({ messageAttributes: { traceparent: { stringValue, dataType: 'String' } } }) as never;

  it('reads a valid attribute', () => {
    expect(traceparentOfMessage(record(TRACEPARENT))).toBe(TRACEPARENT);
  });

  it('ignores an invalid or missing one', () => {
    expect(traceparentOfMessage(record('garbage'))).toBeUndefined();
    expect(traceparentOfMessage({ messageAttributes: {} } as never)).toBeUndefined();
  });
});

describe('messageBytes', () => {
  it('counts the attributes towards the size limit, so a batch near 256 KiB splits', () => {
    const body = 'x'.repeat(128 * 1024 - 30);
    const message = { body, attributes: { traceparent: TRACEPARENT } };
    expect(messageBytes(message)).toBe(body.length + 'traceparent'.length + 'String'.length + TRACEPARENT.length);
    expect(chunkMessages([message, message])).toEqual([[0], [1]]);
    expect(chunkMessages([{ body }, { body }])).toEqual([[0, 1]]);
  });
});
