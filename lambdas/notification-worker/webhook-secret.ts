import { type SecretGetter, secretKey } from '../shared/secret-key';
import { NOTIFICATION_WORKER_ENV } from './environment';

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
    {
      value: NOTIFICATION_WORKER_ENV.webhookSecret,
      secretArn: NOTIFICATION_WORKER_ENV.webhookSecretArn,
      setBy: `the stack sets ${NOTIFICATION_WORKER_ENV.webhookSecretArn} when -c webhookUrl is given`,
    },
    env,
    get,
  );
}
