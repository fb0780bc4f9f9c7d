import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { SECRET_KEY_MAX_AGE_SECONDS, secretKey } from '../../../lambdas/shared/secret-key';
import { fakeSecretsManager } from '../../helpers/fake-secrets-manager';
import { recordingGetter } from '../../helpers/recording-secret-getter';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:SigningKey-abc123';
const VARIABLES = { value: 'SIGNING_KEY', secretArn: 'SIGNING_KEY_SECRET_ARN', setBy: 'the stack sets SIGNING_KEY_SECRET_ARN' };

describe('secretKey', () => {
  it('uses the key variable when set (the local cloud) without calling Secrets Manager', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(secretKey(VARIABLES, { SIGNING_KEY: 'from-env', SIGNING_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-env');
    expect(calls).toEqual([]);
  });

  it('reads the secret the ARN variable names, cached for five minutes', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(secretKey(VARIABLES, { SIGNING_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-aws');
    expect(calls).toEqual([[ARN, { maxAge: 300 }]]);
  });

  it('names both variables and who sets the ARN when neither is set', async () => {
    await expect(secretKey(VARIABLES, {}, recordingGetter('x').get)).rejects.toThrow(
      new ConfigurationError('neither SIGNING_KEY nor SIGNING_KEY_SECRET_ARN is set; the stack sets SIGNING_KEY_SECRET_ARN'),
    );
  });

  it.each([[''], [undefined], [new Uint8Array([1, 2])]])('refuses a secret without a string key (%p), naming the ARN and the fix', async (value) => {
    const read = secretKey(VARIABLES, { SIGNING_KEY_SECRET_ARN: ARN }, recordingGetter(value).get);

    await expect(read).rejects.toBeInstanceOf(ConfigurationError);
    await expect(read).rejects.toThrow(`the secret SIGNING_KEY_SECRET_ARN names (${ARN}) holds no string key; put one with`);
  });
});

describe('secretKey with Powertools getSecret', () => {
  let secrets: ReturnType<typeof fakeSecretsManager>;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    secrets = fakeSecretsManager('key-1');
    DEFAULT_PROVIDERS.secrets = new SecretsProvider({ awsSdkV3Client: secrets.client });
  });
  afterEach(() => {
    delete DEFAULT_PROVIDERS.secrets;
    jest.useRealTimers();
  });

  it('asks Secrets Manager once per container and max age, then picks up a rotated key', async () => {
    const env = { SIGNING_KEY_SECRET_ARN: ARN };

    await expect(secretKey(VARIABLES, env)).resolves.toBe('key-1');
    secrets.rotate('key-2');
    jest.advanceTimersByTime(SECRET_KEY_MAX_AGE_SECONDS * 1000 - 1);
    await expect(secretKey(VARIABLES, env)).resolves.toBe('key-1');
    expect(secrets.requests()).toEqual([{ SecretId: ARN }]);

    jest.advanceTimersByTime(2);
    await expect(secretKey(VARIABLES, env)).resolves.toBe('key-2');
    expect(secrets.requests()).toEqual([{ SecretId: ARN }, { SecretId: ARN }]);
  });
});
