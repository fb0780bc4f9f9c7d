import { cursorKey } from '../../../lambdas/query/cursor-key';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { recordingGetter } from '../../helpers/recording-secret-getter';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:CursorKey-abc123';

// How the key is read and cached is tested once, in test/unit/shared/secret-key.test.ts.
describe('cursorKey', () => {
  it('uses CURSOR_KEY when set (the local cloud) without calling Secrets Manager', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(cursorKey({ CURSOR_KEY: 'from-env', CURSOR_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-env');
    expect(calls).toEqual([]);
  });

  it('reads the secret CURSOR_KEY_SECRET_ARN names', async () => {
    const { get, calls } = recordingGetter('from-aws');

    await expect(cursorKey({ CURSOR_KEY_SECRET_ARN: ARN }, get)).resolves.toBe('from-aws');
    expect(calls).toEqual([[ARN, { maxAge: 300 }]]);
  });

  it('names both variables and the query function when neither is set', async () => {
    await expect(cursorKey({}, recordingGetter('x').get)).rejects.toThrow(
      new ConfigurationError('neither CURSOR_KEY nor CURSOR_KEY_SECRET_ARN is set; the stack sets CURSOR_KEY_SECRET_ARN on the query function'),
    );
  });
});
