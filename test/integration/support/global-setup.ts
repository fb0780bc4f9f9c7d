import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Starts the local cloud for the integration suite, on its own ports so a running `npm start`
 * is left alone. With `SLUICE_TEST_TARGET=external` nothing is started: the suite runs against
 * whatever `AWS_ENDPOINT_URL` (LocalStack) or AWS credentials and `SLUICE_OUTPUTS_FILE` point at.
 */
export default async function globalSetup(): Promise<void> {
  // Node 20 here; the SDK's advice to upgrade is noise in every test's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.SLUICE_TEST_TARGET === 'external') return;
  const root = path.resolve(__dirname, '..', '..', '..');
  const awsPort = Number(process.env.SLUICE_TEST_AWS_PORT ?? 4599);
  const apiPort = Number(process.env.SLUICE_TEST_API_PORT ?? 3099);
  // Per port, so two suites on different ports (two checkouts, two terminals) keep apart.
  const outputsFile = path.join(root, '.sluice', `test-outputs-${apiPort}.json`);
  const logFile = path.join(root, '.sluice', `test-local-cloud-${apiPort}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: 'w' });
  const { startLocalCloud } = await import('../../../local');
  const cloud = await startLocalCloud({
    projectRoot: root,
    awsPort,
    apiPort,
    outputsFile,
    log: (source, line) => log.write(`[${source}] ${line}\n`),
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: cloud.awsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    SLUICE_OUTPUTS_FILE: outputsFile,
  });
  (globalThis as { __sluiceCloud?: { stop(): Promise<void> }; __sluiceLog?: fs.WriteStream }).__sluiceCloud = cloud;
  (globalThis as { __sluiceLog?: fs.WriteStream }).__sluiceLog = log;
}
