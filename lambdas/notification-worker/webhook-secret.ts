import { type SecretGetter, secretKey } from '../shared/secret-key';

/**
 * The HMAC-SHA256 key that signs webhook deliveries: `WEBHOOK_SECRET` locally, else the secret
 * `WEBHOOK_SECRET_ARN` names, read and cached as {@link secretKey} says.
 *
 * @throws {ConfigurationError} naming the variables when neither is set, or when the secret holds no string.
 * @example
 * new WebhookChannel(url, await webhookSecret())
 */
export async function webhookSecret(env: NodeJS.ProcessEnv = process.env, get?: SecretGetter): Promise<string> {
  return secretKey(
    { value: 'WEBHOOK_SECRET', secretArn: 'WEBHOOK_SECRET_ARN', setBy: 'the stack sets WEBHOOK_SECRET_ARN when -c webhookUrl is given' },
    env,
    get,
  );
}
