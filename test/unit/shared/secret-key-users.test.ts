import { webhookSecret } from '../../../lambdas/notification-worker/webhook-secret';
import { cursorKey } from '../../../lambdas/query/cursor-key';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import type { SecretGetter } from '../../../lambdas/shared/secret-key';
import { recordingGetter } from '../../helpers/recording-secret-getter';

type KeyReader = (env: NodeJS.ProcessEnv, get?: SecretGetter) => Promise<string>;

// How a key is read and cached is tested once, in secret-key.test.ts; here, that each function
// reads its own variables and says who sets them.
describe.each<[string, KeyReader, string, string, string]>([
  ['cursorKey', cursorKey, 'CURSOR_KEY', 'CURSOR_KEY_SECRET_ARN', 'the stack sets CURSOR_KEY_SECRET_ARN on the query function'],
  ['webhookSecret', webhookSecret, 'WEBHOOK_SECRET', 'WEBHOOK_SECRET_ARN', 'the stack sets WEBHOOK_SECRET_ARN when -c webhookUrl is given'],
])('%s', (_name, read, valueVariable, arnVariable, setBy) => {
  const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${valueVariable}-abc123`;

  it(`uses ${valueVariable} when set (the local cloud) without calling Secrets Manager`, async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(read({ [valueVariable]: 'from-env', [arnVariable]: arn }, get)).resolves.toBe('from-env');
    expect(calls).toEqual([]);
  });

  it(`reads the secret ${arnVariable} names, cached for five minutes`, async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(read({ [arnVariable]: arn }, get)).resolves.toBe('from-aws');
    expect(calls).toEqual([[arn, { maxAge: 300 }]]);
  });

  it('names both variables and who sets the ARN when neither is set', async () => {
    await expect(read({}, recordingGetter('x').get)).rejects.toThrow(new ConfigurationError(`neither ${valueVariable} nor ${arnVariable} is set; ${setBy}`));
  });
});
