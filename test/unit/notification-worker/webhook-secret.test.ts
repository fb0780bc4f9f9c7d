import { webhookSecret } from '../../../lambdas/notification-worker/webhook-secret';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { recordingGetter } from '../../helpers/recording-secret-getter';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:WebhookSecret-abc123';

// How the key is read and cached is tested once, in test/unit/shared/secret-key.test.ts.
describe('webhookSecret', () => {
  it('uses WEBHOOK_SECRET when set (the local cloud) without calling Secrets Manager', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(webhookSecret({ WEBHOOK_SECRET: 'from-env', WEBHOOK_SECRET_ARN: ARN }, get)).resolves.toBe('from-env');
    expect(calls).toEqual([]);
  });

  it('reads the secret WEBHOOK_SECRET_ARN names', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(webhookSecret({ WEBHOOK_SECRET_ARN: ARN }, get)).resolves.toBe('from-aws');
    expect(calls).toEqual([[ARN, { maxAge: 300 }]]);
  });

  it('refuses an empty secret, naming the variable', async () => {
    await expect(webhookSecret({ WEBHOOK_SECRET_ARN: ARN }, recordingGetter('').get)).rejects.toThrow(ConfigurationError);
  });

  it('names both variables when neither is set', async () => {
    await expect(webhookSecret({}, recordingGetter('x').get)).rejects.toThrow(/WEBHOOK_SECRET nor WEBHOOK_SECRET_ARN/);
  });
});
