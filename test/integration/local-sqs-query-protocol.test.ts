import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { uniqueId } from './support/accounts';

/**
 * The SQS query protocol, spoken by a real client: AWS CLI v2 before the JSON switch (Debian 12's
 * `awscli` 2.9.19; `.ci/run` installs it). The CLI checks the MD5 digests of bodies and message
 * attributes itself, so a wrong digest in the XML fails the command.
 *
 * The CLI is `SLUICE_TEST_AWS_CLI` if set, else `/usr/bin/aws` (the distribution's package).
 */
const CLI = process.env.SLUICE_TEST_AWS_CLI ?? '/usr/bin/aws';
const installed = existsSync(CLI);
if (!installed) {
  console.warn(`skipping the AWS CLI query-protocol tests: no AWS CLI at ${CLI} (apt-get install awscli, or set SLUICE_TEST_AWS_CLI)`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aws(args: readonly string[]): Promise<Run> {
  const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://localhost:4566';
  return new Promise((resolve) => {
    execFile(
      CLI,
      ['sqs', ...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_PAGER: '' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function awsJson<T = any>(args: readonly string[]): Promise<T> {
  const run = await aws(args);
  if (run.code !== 0) throw new Error(`aws sqs ${args.join(' ')} failed (exit ${run.code}): ${run.stderr}`);
  return (run.stdout.trim() === '' ? {} : JSON.parse(run.stdout)) as T;
}

(installed ? describe : describe.skip)('SQS query protocol with the AWS CLI', () => {
  const queueName = uniqueId('cli-query');
  let queueUrl: string;

  beforeAll(async () => {
    ({ QueueUrl: queueUrl } = await awsJson<{ QueueUrl: string }>([
      'create-queue',
      '--queue-name',
      queueName,
      '--attributes',
      'VisibilityTimeout=30',
      '--tags',
      'team=edges',
    ]));
  }, 60_000);

  afterAll(async () => {
    if (queueUrl) await aws(['delete-queue', '--queue-url', queueUrl]);
  }, 60_000);

  it('is spoken by this CLI (form body, not JSON)', async () => {
    const run = await aws(['list-queues', '--queue-name-prefix', queueName, '--debug']);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`'body': {'Action': 'ListQueues', 'Version': '2012-11-05', 'QueueNamePrefix': '${queueName}'}`);
  });

  it('creates the queue with its attributes and tags and lists it', async () => {
    const listed = await awsJson<{ QueueUrls: string[] }>(['list-queues', '--queue-name-prefix', queueName]);
    const attributes = await awsJson<{ Attributes: Record<string, string> }>(['get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'All']);
    const tags = await awsJson<{ Tags: Record<string, string> }>(['list-queue-tags', '--queue-url', queueUrl]);

    expect(listed.QueueUrls).toEqual([queueUrl]);
    expect(attributes.Attributes).toMatchObject({ VisibilityTimeout: '30', QueueArn: `arn:aws:sqs:us-east-1:000000000000:${queueName}` });
    expect(tags.Tags).toEqual({ team: 'edges' });
  });

  it('sends a message with attributes, receives it with its attributes, and deletes it', async () => {
    const body = 'a <tag> & "quotes"\r\nsecond line';
    const sent = await awsJson([
      'send-message',
      '--queue-url',
      queueUrl,
      '--message-body',
      body,
      '--message-attributes',
      JSON.stringify({
        kind: { DataType: 'String', StringValue: 'greeting' },
        n: { DataType: 'Number', StringValue: '42' },
        bin: { DataType: 'Binary', BinaryValue: 'AQID' },
      }),
    ]);

    const received = await awsJson([
      'receive-message',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
      '--max-number-of-messages',
      '10',
    ]);
    const message = received.Messages[0];
    const deleted = await aws(['delete-message', '--queue-url', queueUrl, '--receipt-handle', message.ReceiptHandle]);
    const after = await awsJson([
      'get-queue-attributes',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ]);

    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String), SentTimestamp: expect.any(String) },
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'greeting' },
        n: { DataType: 'Number', StringValue: '42' },
        bin: { DataType: 'Binary', BinaryValue: 'AQID' },
      },
    });
    expect(deleted.code).toBe(0);
    expect(after.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('sends a batch and purges the queue', async () => {
    const batch = await awsJson([
      'send-message-batch',
      '--queue-url',
      queueUrl,
      '--entries',
      JSON.stringify([
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
      ]),
    ]);
    const before = await awsJson(['get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'ApproximateNumberOfMessages']);

    const purged = await aws(['purge-queue', '--queue-url', queueUrl]);
    const after = await awsJson(['get-queue-attributes', '--queue-url', queueUrl, '--attribute-names', 'ApproximateNumberOfMessages']);

    expect(batch.Successful.map((entry: { Id: string }) => entry.Id).sort()).toEqual(['a', 'b']);
    expect(batch.Failed ?? []).toEqual([]);
    expect(before.Attributes.ApproximateNumberOfMessages).toBe('2');
    expect(purged.code).toBe(0);
    expect(after.Attributes.ApproximateNumberOfMessages).toBe('0');
  });

  it('lists the queues that redrive to a queue (answered by the endpoint: fauxqs lacks the action)', async () => {
    const source = await awsJson<{ QueueUrl: string }>([
      'create-queue',
      '--queue-name',
      `${queueName}-source`,
      '--attributes',
      JSON.stringify({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${queueName}`, maxReceiveCount: '3' }) }),
    ]);
    try {
      const listed = await awsJson<{ queueUrls: string[] }>(['list-dead-letter-source-queues', '--queue-url', queueUrl]);

      expect(listed.queueUrls).toEqual([source.QueueUrl]);
    } finally {
      await aws(['delete-queue', '--queue-url', source.QueueUrl]);
    }
  });

  it('fails on a queue that does not exist with AWS.SimpleQueueService.NonExistentQueue', async () => {
    const run = await aws(['get-queue-url', '--queue-name', uniqueId('no-such-queue')]);

    expect(run.code).toBe(254);
    expect(run.stderr).toContain(
      'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.',
    );
  });
});
