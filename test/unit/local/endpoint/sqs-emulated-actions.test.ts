import { withEmulatedActions, type SqsJsonSender } from '../../../../local/endpoint/sqs-query';

/** A fake of fauxqs's JSON protocol for the calls the emulation makes: three queues, two redriving to `dlq`. */
function fauxqs(): { send: SqsJsonSender; calls: string[] } {
  const base = 'http://localhost:4566/000000000000';
  const queues: Record<string, Record<string, string>> = {
    [`${base}/dlq`]: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
    [`${base}/a`]: { QueueArn: 'arn:a', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 3 }) },
    [`${base}/b`]: { QueueArn: 'arn:b' },
    [`${base}/c`]: { QueueArn: 'arn:c', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 5 }) },
  };
  const calls: string[] = [];
  const send: SqsJsonSender = async ({ action, input }) => {
    calls.push(action);
    if (action === 'ListQueues') return { status: 200, body: JSON.stringify({ QueueUrls: Object.keys(queues) }) };
    const queue = queues[String(input.QueueUrl)];
    if (!queue) return { status: 400, body: JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }) };
    const names = input.AttributeNames as string[];
    return { status: 200, body: JSON.stringify({ Attributes: Object.fromEntries(Object.entries(queue).filter(([name]) => names.includes(name))) }) };
  };
  return { send, calls };
}

describe('withEmulatedActions', () => {
  const dlq = 'http://localhost:4566/000000000000/dlq';

  it('lists the queues whose redrive policy targets the queue', async () => {
    const answer = await withEmulatedActions(fauxqs().send)({ action: 'ListDeadLetterSourceQueues', input: { QueueUrl: dlq } });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ queueUrls: ['http://localhost:4566/000000000000/a', 'http://localhost:4566/000000000000/c'] });
  });

  it('pages with MaxResults and NextToken', async () => {
    const send = withEmulatedActions(fauxqs().send);

    const first = JSON.parse((await send({ action: 'ListDeadLetterSourceQueues', input: { QueueUrl: dlq, MaxResults: 1 } })).body);
    const second = JSON.parse((await send({ action: 'ListDeadLetterSourceQueues', input: { QueueUrl: dlq, MaxResults: 1, NextToken: first.NextToken } })).body);

    expect(first.queueUrls).toEqual(['http://localhost:4566/000000000000/a']);
    expect(second).toEqual({ queueUrls: ['http://localhost:4566/000000000000/c'] });
  });

  it('answers QueueDoesNotExist for an unknown queue, and refuses MaxResults out of 1-1000', async () => {
    const send = withEmulatedActions(fauxqs().send);

    const missing = await send({ action: 'ListDeadLetterSourceQueues', input: { QueueUrl: 'http://localhost:4566/000000000000/nope' } });
    const tooMany = await send({ action: 'ListDeadLetterSourceQueues', input: { QueueUrl: dlq, MaxResults: 1001 } });

    expect(JSON.parse(missing.body).__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.body).message).toMatch(/MaxResults is invalid/);
  });

  it('passes every other action through unchanged', async () => {
    const fake = fauxqs();

    await withEmulatedActions(fake.send)({ action: 'ListQueues', input: {} });

    expect(fake.calls).toEqual(['ListQueues']);
  });
});
