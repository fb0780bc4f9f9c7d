import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../shared/errors';

/** The one Secrets Manager call the worker makes; a fake in unit tests. */
export interface SecretReader {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

/** How long a container keeps the key: a rotated key is picked up within this time. */
export const WEBHOOK_SECRET_TTL_MS = 5 * 60 * 1000;

let cached: { value: string; expiresAt: number } | undefined;
let client: SecretReader | undefined;

/**
 * The HMAC-SHA256 key that signs webhook deliveries.
 *
 * `WEBHOOK_SECRET` wins when set (the local cloud sets it; there is no Secrets Manager there);
 * otherwise the secret `WEBHOOK_SECRET_ARN` names (set by the stack) is read and kept for
 * {@link WEBHOOK_SECRET_TTL_MS}, so a rotation reaches warm containers without a redeploy.
 *
 * @throws {ConfigurationError} naming the variables when neither is set, or when the secret is empty.
 * @example
 * new WebhookChannel(url, await webhookSecret())
 */
export async function webhookSecret(env: NodeJS.ProcessEnv = process.env, reader?: SecretReader, now = Date.now()): Promise<string> {
  if (env.WEBHOOK_SECRET) return env.WEBHOOK_SECRET;
  const arn = env.WEBHOOK_SECRET_ARN;
  if (!arn) {
    throw new ConfigurationError('neither WEBHOOK_SECRET nor WEBHOOK_SECRET_ARN is set; the stack sets WEBHOOK_SECRET_ARN when -c webhookUrl is given');
  }
  if (cached && cached.expiresAt > now) return cached.value;
  const { SecretString } = await (reader ?? (client ??= new SecretsManagerClient({}))).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) {
    throw new ConfigurationError(`the secret WEBHOOK_SECRET_ARN names (${arn}) has no SecretString; put a non-empty string key in it`);
  }
  cached = { value: SecretString, expiresAt: now + WEBHOOK_SECRET_TTL_MS };
  return SecretString;
}

/** Forgets the cached key (tests). */
export function resetWebhookSecretCache(): void {
  cached = undefined;
}
