import { CliError } from './errors';
import type { Outputs } from './outputs';
import type { SdkConfig } from './target';

/** The local cloud's API key when `SLUICE_API_KEY` is not set. */
export const DEFAULT_API_KEY = 'local-dev-key';

/** Reads a deployed API key's value (API Gateway GetApiKey with includeValue). */
export type ApiKeyReader = (keyId: string, sdk: SdkConfig) => Promise<string | undefined>;

/**
 * The key `sluice send` puts in `x-api-key`:
 * 1. `SLUICE_API_KEY`;
 * 2. the local cloud's outputs: `local-dev-key` (the local cloud's default);
 * 3. a deployed stage (AWS, LocalStack): the value of the key its `ApiKeyId` output names, read
 *    through API Gateway with the target's profile and region (AWS generates it at deploy time);
 * 4. outputs without `ApiKeyId` (a hand-written file): `local-dev-key`.
 *
 * @throws {CliError} when the deployed key cannot be read, saying how to give it instead.
 */
export async function resolveApiKey(outputs: Outputs, sdk: SdkConfig, env: NodeJS.ProcessEnv = process.env, read: ApiKeyReader = readApiKey): Promise<string> {
  if (env.SLUICE_API_KEY) return env.SLUICE_API_KEY;
  const keyId = outputs.values.ApiKeyId;
  if (outputs.localCloud || !keyId) return DEFAULT_API_KEY;
  let value: string | undefined;
  try {
    value = await read(keyId, sdk);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    throw new CliError(
      `cannot read the API key ${keyId} (output ApiKeyId in ${outputs.file}) through API Gateway (${reason}); ` +
        "check --profile/--region (it needs apigateway:GET on /apikeys), or set SLUICE_API_KEY to the key's value",
      { cause: error },
    );
  }
  if (!value) throw new CliError(`API key ${keyId} (output ApiKeyId in ${outputs.file}) has no value; set SLUICE_API_KEY to the key's value`);
  return value;
}

/** GetApiKey with includeValue; the client is loaded only when a deployed key is needed. */
async function readApiKey(keyId: string, sdk: SdkConfig): Promise<string | undefined> {
  const { APIGatewayClient, GetApiKeyCommand } = await import('@aws-sdk/client-api-gateway');
  const client = new APIGatewayClient(sdk);
  try {
    return (await client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }))).value;
  } finally {
    client.destroy();
  }
}
