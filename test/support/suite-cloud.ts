/**
 * Starts and stops the local cloud a jest project's tests run against (the integration and the
 * conformance projects each have their own, on their own ports), from its global setup/teardown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalCloud, LocalCloudOptions } from '../../local';

export interface SuiteCloudOptions {
  /** Names the log and outputs files: `.sluice/<name>-local-cloud-<apiPort>.log`, `.sluice/<name>-outputs-<apiPort>.json`. */
  readonly name: string;
  readonly awsPort: number;
  readonly apiPort: number;
  /** More options for `startLocalCloud` (another app, another API key…). */
  readonly cloud?: Omit<LocalCloudOptions, 'projectRoot' | 'awsPort' | 'apiPort' | 'outputsFile' | 'log'>;
  /** Variables for the tests besides the SDK's endpoint, region and credentials, given the outputs file. */
  readonly env: (outputsFile: string) => Record<string, string>;
}

/** Names the cloud's log file (every function's output, `[<function>] <line>`) for the tests. */
export const LOCAL_CLOUD_LOG_ENV = 'SLUICE_LOCAL_CLOUD_LOG';

/** Names the cloud assembly the cloud runs (its templates), for tests that compare with what it declares. */
export const CLOUD_ASSEMBLY_ENV = 'SLUICE_CLOUD_ASSEMBLY_DIR';

type Running = { cloud: LocalCloud; log: fs.WriteStream };
const running = globalThis as { __sluiceSuiteClouds?: Record<string, Running> };

/**
 * Starts the cloud (synthesizing when its assembly is stale) and points the SDK and the tests at it
 * through the environment, which jest hands on to every test file.
 */
export async function startSuiteCloud(options: SuiteCloudOptions): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  // Per port, so two suites on different ports (two checkouts, two terminals) keep apart.
  const outputsFile = path.join(root, '.sluice', `${options.name}-outputs-${options.apiPort}.json`);
  const logFile = path.join(root, '.sluice', `${options.name}-local-cloud-${options.apiPort}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: 'w' });
  const { startLocalCloud } = await import('../../local');
  const cloud = await startLocalCloud({
    ...options.cloud,
    projectRoot: root,
    awsPort: options.awsPort,
    apiPort: options.apiPort,
    outputsFile,
    log: (source, line) => log.write(`[${source}] ${line}\n`),
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: cloud.awsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [LOCAL_CLOUD_LOG_ENV]: logFile,
    [CLOUD_ASSEMBLY_ENV]: cloud.cloudAssemblyDir,
    ...options.env(outputsFile),
  });
  running.__sluiceSuiteClouds = { ...running.__sluiceSuiteClouds, [options.name]: { cloud, log } };
}

/** Stops the cloud `startSuiteCloud` started under `name`, leaving no process behind. */
export async function stopSuiteCloud(name: string): Promise<void> {
  const suite = running.__sluiceSuiteClouds?.[name];
  if (!suite) return;
  await suite.cloud.stop();
  suite.log.end();
  delete running.__sluiceSuiteClouds![name];
}

/**
 * The value of a deployed API key (AWS and LocalStack generate it at deploy time), read through the
 * API Gateway API; `envName` is the variable that would give it instead, named in the error.
 *
 * @throws Error when the key has no value
 */
export async function deployedApiKeyValue(keyId: string, envName: string): Promise<string> {
  const { APIGatewayClient, GetApiKeyCommand } = await import('@aws-sdk/client-api-gateway');
  const client = new APIGatewayClient({});
  try {
    const key = await client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
    if (!key.value) throw new Error(`API key ${keyId} has no value; set ${envName}`);
    return key.value;
  } finally {
    client.destroy();
  }
}
