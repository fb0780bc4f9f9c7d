import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { isExternalTarget } from '../support/settled';
import { clients, output, target } from '../support/target';
import { sluice } from './run-cli';

/** The settled signal exists on the sluice local cloud only; a deployed stage is refused (tested everywhere). */
const describeLocalOnly = isExternalTarget() ? describe.skip : describe;

describe('sluice settle', () => {
  it('refuses a deployed stage (no AWS_ENDPOINT_URL): exit 1, saying there is no settled signal there', async () => {
    const result = await sluice(['settle', '--timeout', '1'], { env: { AWS_ENDPOINT_URL: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/neither --endpoint-url nor AWS_ENDPOINT_URL is set.*deployed stage.*no settled signal/);
  });

  it('refuses a bad --timeout with exit 2, naming the value and the range', async () => {
    const result = await sluice(['settle', '--timeout', '301']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/from 0 to 300 \(got "301"\)/);
  });

  describeLocalOnly('on the local cloud', () => {
    it('says when an endpoint is not a sluice local cloud', async () => {
      const result = await sluice(['settle', '--timeout', '1'], { env: { AWS_ENDPOINT_URL: target().apiUrl } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is not a sluice local cloud that can settle \(GET \/_sluice\/settled answered 40\d/);
    });

    it('lists a delayed message as pending (exit 1), then exits 0 once the worker has delivered it', async () => {
      const id = `01CLISETTLE${Date.now().toString(36).toUpperCase()}`.padEnd(26, '0').slice(0, 26);
      const notification = {
        notificationId: id,
        eventId: id,
        eventType: 'sluice.account.deposited.v1',
        accountId: `acct-settle-${id}`,
        owner: 'Ada',
        subject: 'Deposit',
        text: 'Ada, 1.00 EUR was paid in.',
        occurredAt: new Date().toISOString(),
      };
      const queueName = output('NotificationsQueueUrl').split('/').pop();
      // Long enough to outlast two CLI start-ups on a busy machine: the message stays delayed (pending) meanwhile.
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: output('NotificationsQueueUrl'), MessageBody: JSON.stringify(notification), DelaySeconds: 40 }));

      const pending = await sluice(['settle', '--timeout', '0', '--json']);
      expect(pending.code).toBe(1);
      expect(pending.json()).toMatchObject({
        settled: false,
        pending: expect.arrayContaining([expect.objectContaining({ kind: 'queue', queue: queueName, delayed: 1 })]),
      });
      const pretty = await sluice(['settle', '--timeout', '0']);
      expect(pretty.code).toBe(1);
      expect(pretty.stdout).toMatch(new RegExp(`queue +${queueName}: \\d+ message\\(s\\) \\(\\d+ visible, \\d+ in flight, 1 delayed\\)`));
      expect(pretty.stderr).toMatch(/not settled within 0 s: \d+ item\(s\) pending/);

      const settled = await sluice(['settle', '--timeout', '120', '--json']);
      expect(settled.code).toBe(0);
      expect(settled.json()).toMatchObject({ settled: true, waitedMs: expect.any(Number) });
      const delivery = await clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: id }, ConsistentRead: true }));
      expect(delivery.Item).toMatchObject({ notificationId: id, status: 'delivered' });
      expect((await sluice(['settle', '--timeout', '5'])).stdout).toMatch(/^settled after \d+ ms/);
    }, 240_000);
  });
});
