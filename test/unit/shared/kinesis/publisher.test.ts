import { createEnvelope, type EventEnvelope } from '../../../../lambdas/shared/envelope';
import { KinesisPublisher, publishAll, PublishFailedError, RecordTooLargeError, type KinesisPublisherOptions } from '../../../../lambdas/shared/kinesis';
import { FakePutRecordsPort, type FailureRule } from '../../../helpers/fake-put-records-port';

function envelopes(count: number, dataBytes = 10): EventEnvelope[] {
  return Array.from({ length: count }, (_, index) =>
    createEnvelope({
      type: 'test.thing.happened.v1',
      source: 'test',
      subject: `key-${index}`,
      data: { index, padding: 'x'.repeat(dataBytes) },
    }),
  );
}

function publisherWith(rule: FailureRule, options: KinesisPublisherOptions = {}) {
  const port = new FakePutRecordsPort(rule);
  const delays: number[] = [];
  const publisher = new KinesisPublisher(port, {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { port, publisher, delays };
}

describe('KinesisPublisher', () => {
  it('publishes every envelope as JSON with its partition key and reports sequence numbers', async () => {
    const { port, publisher } = publisherWith(() => undefined);
    const input = envelopes(3);

    const results = await publisher.publish(input);

    expect(results).toEqual(input.map((envelope, index) => expect.objectContaining({ ok: true, index, id: envelope.id, sequenceNumber: expect.any(String) })));
    expect(port.calls).toHaveLength(1);
    expect(port.calls[0].map((entry) => entry.partitionKey)).toEqual(['key-0', 'key-1', 'key-2']);
    expect(port.published()).toEqual(input);
  });

  it('retries only the records that failed', async () => {
    const { port, publisher } = publisherWith((entry, call) =>
      call === 1 && entry.partitionKey === 'key-1' ? 'ProvisionedThroughputExceededException' : undefined,
    );

    const results = await publisher.publish(envelopes(3));

    expect(port.calls.map((call) => call.map((entry) => entry.partitionKey))).toEqual([['key-0', 'key-1', 'key-2'], ['key-1']]);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('backs off exponentially with jitter between attempts', async () => {
    const { publisher, delays } = publisherWith(() => 'InternalFailure', { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 });

    await publisher.publish(envelopes(1));

    // random() = 0.5 → half of min(max, base · 2^(retry-1)): 100, 200, 400→300
    expect(delays).toEqual([50, 100, 150]);
  });

  it('gives up after maxAttempts and returns the last error per record', async () => {
    const { port, publisher } = publisherWith((entry) => (entry.partitionKey === 'key-0' ? 'InternalFailure' : undefined), {
      maxAttempts: 3,
    });
    const input = envelopes(2);

    const results = await publisher.publish(input);

    expect(port.calls).toHaveLength(3);
    expect(results[0]).toEqual({
      ok: false,
      index: 0,
      id: input[0].id,
      error: { code: 'InternalFailure', message: 'InternalFailure for key-0' },
    });
    expect(results[1]).toMatchObject({ ok: true, index: 1 });
  });

  it('does not retry a record whose error no retry can fix', async () => {
    const { port, publisher } = publisherWith(() => 'KMSAccessDeniedException');

    const [result] = await publisher.publish(envelopes(1));

    expect(port.calls).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { code: 'KMSAccessDeniedException' } });
  });

  it('splits more than 500 envelopes into several calls', async () => {
    const { port, publisher } = publisherWith(() => undefined);

    const results = await publisher.publish(envelopes(1201));

    expect(port.calls.map((call) => call.length)).toEqual([500, 500, 201]);
    expect(results.map((result) => result.index)).toEqual(Array.from({ length: 1201 }, (_, index) => index));
  });

  it('rejects an oversize envelope before sending anything', async () => {
    const { port, publisher } = publisherWith(() => undefined);
    const input = [...envelopes(1), ...envelopes(1, 1024 * 1024)];

    await expect(publisher.publish(input)).rejects.toThrow(RecordTooLargeError);
    expect(port.calls).toHaveLength(0);
  });

  it('propagates a failure of the whole call', async () => {
    const publisher = new KinesisPublisher({
      putRecords: async () => {
        throw new Error('ResourceNotFoundException');
      },
    });

    await expect(publisher.publish(envelopes(1))).rejects.toThrow('ResourceNotFoundException');
  });
});

describe('publishAll', () => {
  it('publishes every envelope and resolves', async () => {
    const port = new FakePutRecordsPort();
    await publishAll(new KinesisPublisher(port), envelopes(2));
    expect(port.published()).toHaveLength(2);
  });

  it('throws PublishFailedError naming the events that were not published', async () => {
    const input = envelopes(2);
    const publisher = new KinesisPublisher(new FakePutRecordsPort((entry) => (entry.partitionKey === 'key-1' ? 'InternalFailure' : undefined)), {
      maxAttempts: 1,
    });

    const attempt = publishAll(publisher, input);

    await expect(attempt).rejects.toThrow(PublishFailedError);
    await expect(attempt).rejects.toMatchObject({ code: 'publish_failed', failures: [{ id: input[1].id, code: 'InternalFailure' }] });
  });

  it('makes no call for no envelopes', async () => {
    const port = new FakePutRecordsPort();
    await publishAll(new KinesisPublisher(port), []);
    expect(port.calls).toEqual([]);
  });
});
