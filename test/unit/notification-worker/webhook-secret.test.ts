import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  resetWebhookSecretCache, type SecretReader, WEBHOOK_SECRET_TTL_MS, webhookSecret,
} from '../../../lambdas/notification-worker/webhook-secret';
import { ConfigurationError } from '../../../lambdas/shared/errors';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:WebhookSecret-abc123';

/** A Secrets Manager stand-in that answers with the given strings in turn and records the ids asked for. */
function fakeReader(...values: Array<string | undefined>) {
  const asked: string[] = [];
  const reader: SecretReader = {
    send: async (command: GetSecretValueCommand) => {
      asked.push(command.input.SecretId ?? '');
      return { SecretString: values[Math.min(asked.length - 1, values.length - 1)] };
    },
  };
  return { reader, asked };
}

describe('webhookSecret', () => {
  beforeEach(resetWebhookSecretCache);

  it('uses WEBHOOK_SECRET when set (the local cloud) without calling Secrets Manager', async () => {
    const { reader, asked } = fakeReader('from-aws');

    await expect(webhookSecret({ WEBHOOK_SECRET: 'from-env', WEBHOOK_SECRET_ARN: ARN }, reader)).resolves.toBe('from-env');
    expect(asked).toEqual([]);
  });

  it('reads the secret WEBHOOK_SECRET_ARN names', async () => {
    const { reader, asked } = fakeReader('from-aws');

    await expect(webhookSecret({ WEBHOOK_SECRET_ARN: ARN }, reader)).resolves.toBe('from-aws');
    expect(asked).toEqual([ARN]);
  });

  it('refuses an empty secret, naming the variable', async () => {
    const { reader } = fakeReader('');

    const read = webhookSecret({ WEBHOOK_SECRET_ARN: ARN }, reader);
    await expect(read).rejects.toThrow(ConfigurationError);
    await expect(read).rejects.toThrow(/WEBHOOK_SECRET_ARN/);
  });

  it('names both variables when neither is set', async () => {
    await expect(webhookSecret({}, fakeReader('x').reader)).rejects.toThrow(/WEBHOOK_SECRET nor WEBHOOK_SECRET_ARN/);
  });

  it('keeps the key for five minutes, then reads it again so a rotation is picked up', async () => {
    const { reader, asked } = fakeReader('old', 'rotated');
    const env = { WEBHOOK_SECRET_ARN: ARN };

    await expect(webhookSecret(env, reader, 0)).resolves.toBe('old');
    await expect(webhookSecret(env, reader, WEBHOOK_SECRET_TTL_MS - 1)).resolves.toBe('old');
    expect(asked).toHaveLength(1);
    await expect(webhookSecret(env, reader, WEBHOOK_SECRET_TTL_MS)).resolves.toBe('rotated');
    expect(asked).toHaveLength(2);
  });
});
