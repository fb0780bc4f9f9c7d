import * as fs from 'node:fs';
import * as path from 'node:path';
import { deployedApiKeyValue, startSuiteCloud } from '../../support/suite-cloud';
import { OUTPUT, PROBE_STACK_NAME } from '../app/scenarios';
import { API_KEY_ENV, OUTPUTS_FILE_ENV } from './target';

/** The probe app, synthesized into its own cloud assembly (never the app's cdk.out). */
const PROBE_APP = { command: 'npx tsx test/conformance/app/main.ts', inputs: ['test/conformance/app', 'package-lock.json'] };
const LOCAL_API_KEY = 'conformance-local-key';

/**
 * Starts a local cloud from the probe app (synthesized when stale) on the conformance ports, so
 * the integration suite's cloud and `npm start` are left alone. With `SLUICE_TEST_TARGET=external`
 * nothing is started: the suite runs against the deployed probe stack whose outputs
 * `SLUICE_CONFORMANCE_OUTPUTS_FILE` names, with the SDK's own endpoint and credentials.
 */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.SLUICE_TEST_TARGET === 'external') {
    await resolveDeployedApiKey();
    return;
  }
  await startSuiteCloud({
    name: 'conformance',
    awsPort: Number(process.env.SLUICE_CONFORMANCE_AWS_PORT ?? 4598),
    apiPort: Number(process.env.SLUICE_CONFORMANCE_API_PORT ?? 3098),
    cloud: { cloudAssemblyDir: path.join(path.resolve(__dirname, '..', '..', '..'), '.sluice', 'conformance.out'), synthApp: PROBE_APP, apiKey: LOCAL_API_KEY },
    env: (outputsFile) => ({ [OUTPUTS_FILE_ENV]: outputsFile, [API_KEY_ENV]: LOCAL_API_KEY }),
  });
}

/** AWS and LocalStack generate the API key's value: read it through the API Gateway API from the stack output. */
async function resolveDeployedApiKey(): Promise<void> {
  if (process.env[API_KEY_ENV]) return;
  const file = process.env[OUTPUTS_FILE_ENV];
  if (!file || !fs.existsSync(file))
    throw new Error(`set ${OUTPUTS_FILE_ENV} to the probe stack's outputs file (cdk deploy --outputs-file); see docs/conformance.md`);
  const outputs = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)[PROBE_STACK_NAME] ?? {};
  const keyId = outputs[OUTPUT.apiKeyId];
  if (!keyId) throw new Error(`no ${OUTPUT.apiKeyId} output for ${PROBE_STACK_NAME} in ${file}; set ${API_KEY_ENV}`);
  process.env[API_KEY_ENV] = await deployedApiKeyValue(keyId, API_KEY_ENV);
}
