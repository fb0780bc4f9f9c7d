import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from './errors';

/**
 * How long a container keeps a key before asking Secrets Manager again: after a rotation, warm
 * containers use the old key for at most this long (docs/input-rules.md, "Cursor key rotation").
 */
export const SECRET_KEY_MAX_AGE_SECONDS = 300;

/** The one Powertools Parameters call this module makes; the real `getSecret` on AWS, a fake in unit tests. */
export type SecretGetter = (name: string, options: { maxAge: number }) => Promise<unknown>;

/** Where a function finds one key: the key itself (local cloud) or the ARN of its secret (stack). */
export interface SecretKeyVariables {
  /** Set by the local cloud (no Secrets Manager there): the key itself. */
  readonly value: string;
  /** Set by the stack: the ARN of the Secrets Manager secret that holds the key. */
  readonly secretArn: string;
  /** Who sets `secretArn`, for the error when neither is set. */
  readonly setBy: string;
}

/**
 * A string key held in Secrets Manager (cursor signing, webhook signing).
 *
 * The `value` variable wins when set; otherwise the secret `secretArn` names is read with
 * Powertools Parameters, cached for {@link SECRET_KEY_MAX_AGE_SECONDS}, so a rotated key reaches
 * warm containers without a redeploy and a busy container calls Secrets Manager once per 5 minutes.
 *
 * @throws {ConfigurationError} naming the variables when neither is set, or when the secret holds no string.
 * @example
 * const key = await secretKey({ value: 'CURSOR_KEY', secretArn: 'CURSOR_KEY_SECRET_ARN', setBy: 'the stack' });
 */
export async function secretKey(variables: SecretKeyVariables, env: NodeJS.ProcessEnv = process.env, get: SecretGetter = getSecret): Promise<string> {
  const local = env[variables.value];
  if (local) return local;
  const arn = env[variables.secretArn];
  if (!arn) {
    throw new ConfigurationError(`neither ${variables.value} nor ${variables.secretArn} is set; ${variables.setBy}`);
  }
  const value = await get(arn, { maxAge: SECRET_KEY_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(
      `the secret ${variables.secretArn} names (${arn}) holds no string key; put one with ` +
        '`aws secretsmanager put-secret-value --secret-id <arn> --secret-string "$(openssl rand -base64 36)"`',
    );
  }
  return value;
}
