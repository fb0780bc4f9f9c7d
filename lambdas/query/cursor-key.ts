import { type SecretGetter, secretKey } from '../shared/secret-key';
import { CURSOR_KEY_ENV } from './cursor-key-env';

/**
 * The HMAC key that signs and checks transaction cursors: `CURSOR_KEY` locally, else the secret
 * `CURSOR_KEY_SECRET_ARN` names, read and cached as {@link secretKey} says.
 *
 * @throws {ConfigurationError} naming the variables when neither is set, or when the secret holds no string.
 * @example
 * encodeCursor(position, await cursorKey())
 */
export async function cursorKey(env: NodeJS.ProcessEnv = process.env, get?: SecretGetter): Promise<string> {
  return secretKey({ ...CURSOR_KEY_ENV, setBy: `the stack sets ${CURSOR_KEY_ENV.secretArn} on the query function` }, env, get);
}
