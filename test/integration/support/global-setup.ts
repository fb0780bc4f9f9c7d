import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCli } from '../../../cli/build';
import { LOCAL_OUTPUTS_FILE } from '../../../cli/outputs';
import { deployedApiKeyValue, startSuiteCloud } from '../../support/suite-cloud';
import { LOCK_DIR_ENV } from './run-lock';

/**
 * The integration stage: `dev` with the settings whose production values make a test wait for
 * hours shortened, so those paths run in seconds instead of being waited out. Each is a CDK
 * context key the stacks read (`lib/config.ts`).
 * - `relayDeadLetterAfterSeconds`: the outbox relay gives a record it cannot publish up to its DLQ
 *   after 5 s instead of 23 h (`test/integration/dead-letters.test.ts`).
 * - `notificationWorkerTimeoutSeconds`: the notification worker times out after 3 s, so its queue's
 *   visibility timeout is 18 s instead of 180 s and a delivery that keeps failing reaches its last
 *   receive in about a minute (`test/integration/dead-letters.test.ts`).
 * - `replicaTimeoutSeconds`: the replica times out after 3 s, so the state-transfer FIFO queue's
 *   visibility timeout is 18 s instead of 60 s and a message that failed in a blocked group comes
 *   back 42 s sooner (`test/integration/faults/fault-matrix.test.ts` scenario g). Still far from its
 *   DLQ: 5 receives take over a minute, and the scenario clears its fault within seconds.
 */
export const INTEGRATION_STAGE_CONTEXT: Readonly<Record<string, string>> = {
  relayDeadLetterAfterSeconds: '5',
  notificationWorkerTimeoutSeconds: '3',
  replicaTimeoutSeconds: '3',
};

/**
 * Starts the local cloud for the integration suite, on its own ports so a running `npm start`
 * is left alone. With `SLUICE_TEST_TARGET=external` nothing is started: the suite runs against
 * whatever `AWS_ENDPOINT_URL` (LocalStack) or AWS credentials and `SLUICE_OUTPUTS_FILE` point at.
 */
export default async function globalSetup(): Promise<void> {
  // Node 20 here; the SDK's advice to upgrade is noise in every test's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The CLI tests run the built CLI (bin/sluice-cli.js → dist/cli.cjs): build it from these sources.
  await buildCli();
  // The run's locks between workers (run-lock.ts): serial files run alone, the others two at a time.
  process.env[LOCK_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-test-locks-'));
  if (process.env.SLUICE_TEST_TARGET === 'external') {
    await resolveDeployedApiKey();
    return;
  }
  await startSuiteCloud({
    name: 'test',
    awsPort: Number(process.env.SLUICE_TEST_AWS_PORT ?? 4599),
    apiPort: Number(process.env.SLUICE_TEST_API_PORT ?? 3099),
    cloud: { context: INTEGRATION_STAGE_CONTEXT },
    env: (outputsFile) => ({ SLUICE_OUTPUTS_FILE: outputsFile }),
  });
}

/**
 * LocalStack and AWS generate the API key's value at deploy time: read it through the API
 * Gateway API from the stack output `ApiKeyId`, unless SLUICE_API_KEY is given.
 */
async function resolveDeployedApiKey(): Promise<void> {
  if (process.env.SLUICE_API_KEY) return;
  const file = process.env.SLUICE_OUTPUTS_FILE ?? LOCAL_OUTPUTS_FILE;
  const outputs = Object.assign({}, ...Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, object>)) as Record<string, string>;
  if (!outputs.ApiKeyId) throw new Error(`no ApiKeyId output in ${file}; set SLUICE_API_KEY`);
  process.env.SLUICE_API_KEY = await deployedApiKeyValue(outputs.ApiKeyId, 'SLUICE_API_KEY');
}
