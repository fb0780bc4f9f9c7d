import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { CURSOR_KEY_MAX_AGE_SECONDS, cursorKey, type SecretGetter } from '../../../lambdas/query/cursor-key';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { fakeSecretsManager } from '../../helpers/fake-secrets-manager';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:CursorKey-abc123';

/** A getter that records its calls and answers `value`. */
function recordingGetter(value: unknown) {
  const calls: Array<[string, { maxAge: number }]> = [];
  const get: SecretGetter = async (name, options) => {
    calls.push([name, options]);
    return value;
  };
  return { get, calls };
}

describe('cursorKey', () => {
  it('uses CURSOR_KEY when set (the local cloud) without calling Secrets Manager', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(cursorKey({ CURSOR_KEY: 'from-env', CURSOR_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-env');
    expect(calls).toEqual([]);
  });

  it('reads the secret CURSOR_KEY_SECRET_ARN names, cached for five minutes', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(cursorKey({ CURSOR_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-aws');
    expect(calls).toEqual([[ARN, { maxAge: 300 }]]);
  });

  it('names both variables when neither is set', async () => {
    await expect(cursorKey({}, recordingGetter('x').get)).rejects.toThrow(
      new ConfigurationError('neither CURSOR_KEY nor CURSOR_KEY_SECRET_ARN is set; the stack sets CURSOR_KEY_SECRET_ARN on the query function'),
    );
  });

  it.each([[''], [undefined], [new Uint8Array([1, 2])]])('refuses a secret without a string key (%p), naming the ARN and the fix', async (value) => {
    const read = cursorKey({ CURSOR_KEY_SECRET_ARN: ARN }, recordingGetter(value).get);

    await expect(read).rejects.toBeInstanceOf(ConfigurationError);
    await expect(read).rejects.toThrow(`the secret CURSOR_KEY_SECRET_ARN names (${ARN}) holds no string key; put one with`);
  });
});

describe('cursorKey with Powertools getSecret', () => {
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
    const env = { CURSOR_KEY_SECRET_ARN: ARN };

    await expect(cursorKey(env)).resolves.toBe('key-1');
    secrets.rotate('key-2');
    jest.advanceTimersByTime(CURSOR_KEY_MAX_AGE_SECONDS * 1000 - 1);
    await expect(cursorKey(env)).resolves.toBe('key-1');
    expect(secrets.requests()).toEqual([{ SecretId: ARN }]);

    jest.advanceTimersByTime(2);
    await expect(cursorKey(env)).resolves.toBe('key-2');
    expect(secrets.requests()).toEqual([{ SecretId: ARN }, { SecretId: ARN }]);
  });
});
