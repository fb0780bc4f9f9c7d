import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from '../shared/errors';
import { CURSOR_KEY_ENV } from './cursor-key-env';

/**
 * How long a container keeps the key before asking Secrets Manager again: after a rotation, warm
 * containers sign with the old key for at most this long (docs/input-rules.md, "Cursor key rotation").
 */
export const CURSOR_KEY_MAX_AGE_SECONDS = 300;

/** The one Powertools Parameters call this module makes; the real `getSecret` on AWS, a fake in unit tests. */
export type SecretGetter = (name: string, options: { maxAge: number }) => Promise<unknown>;

/**
 * The HMAC key that signs and checks transaction cursors.
 *
 * `CURSOR_KEY` wins when set (the local cloud sets it; there is no Secrets Manager there).
 * Otherwise the secret `CURSOR_KEY_SECRET_ARN` names (set by the stack) is read with Powertools
 * Parameters, which caches it for {@link CURSOR_KEY_MAX_AGE_SECONDS}, so a rotated key reaches warm
 * containers without a redeploy and a busy container calls Secrets Manager once per 5 minutes.
 *
 * @throws {ConfigurationError} naming the variables when neither is set, or when the secret holds no string.
 * @example
 * encodeCursor(position, await cursorKey())
 */
export async function cursorKey(env: NodeJS.ProcessEnv = process.env, get: SecretGetter = getSecret): Promise<string> {
  const local = env[CURSOR_KEY_ENV.value];
  if (local) return local;
  const arn = env[CURSOR_KEY_ENV.secretArn];
  if (!arn) {
    throw new ConfigurationError(
      `neither ${CURSOR_KEY_ENV.value} nor ${CURSOR_KEY_ENV.secretArn} is set; the stack sets ${CURSOR_KEY_ENV.secretArn} on the query function`,
    );
  }
  const value = await get(arn, { maxAge: CURSOR_KEY_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(
      `the secret ${CURSOR_KEY_ENV.secretArn} names (${arn}) holds no string key; put one with ` +
        '`aws secretsmanager put-secret-value --secret-id <arn> --secret-string "$(openssl rand -base64 36)"`',
    );
  }
  return value;
}
