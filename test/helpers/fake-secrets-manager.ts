import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A real SDK v3 Secrets Manager client whose requests never leave the process: a middleware at the
 * first step answers every `GetSecretValue` with the current value and records its input. Powertools
 * Parameters accepts it as a client (it checks for an SDK v3 client), so its cache and max age run
 * for real around it.
 */
export function fakeSecretsManager(initial: string) {
  let value = initial;
  const seen: Array<Record<string, unknown>> = [];
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  client.middlewareStack.add(
    () => async (args) => {
      seen.push({ ...(args.input as Record<string, unknown>) });
      return { output: { SecretString: value, $metadata: {} }, response: {} };
    },
    { step: 'initialize', name: 'fakeSecretsManager' },
  );
  return {
    client,
    /** Makes the secret hold `next` from now on (a rotation). */
    rotate(next: string) {
      value = next;
    },
    /** Every GetSecretValue input so far. */
    requests: () => [...seen],
  };
}
