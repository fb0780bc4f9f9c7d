import { readFileSync } from 'node:fs';
import path from 'node:path';

/** docker-compose.yml carries the LocalStack fixes of docs/localstack.md (Docker cannot run here, so this is what can be checked). */
const compose = readFileSync(path.resolve(__dirname, '../../../docker-compose.yml'), 'utf8');
const settings = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');

describe('docker-compose.yml', () => {
  it('pins LocalStack 4.14.0 (nodejs24.x, no token needed) and lets LOCALSTACK_VERSION pick a newer tag', () => {
    expect(settings(compose)).toMatch(/^\s+image: localstack\/localstack:\$\{LOCALSTACK_VERSION:-4\.14\.0\}$/m);
  });

  it('passes LOCALSTACK_AUTH_TOKEN through for tags after 4.14.0', () => {
    expect(settings(compose)).toMatch(/^\s+LOCALSTACK_AUTH_TOKEN: \$\{LOCALSTACK_AUTH_TOKEN:-\}$/m);
  });

  it('sets KINESIS_LATENCY to 0, fails on unsupported resource types, runs functions on the host architecture by default', () => {
    expect(settings(compose)).toMatch(/^\s+KINESIS_LATENCY: "0"$/m);
    expect(settings(compose)).toMatch(/^\s+CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES: "0"$/m);
    expect(settings(compose)).toMatch(/^\s+LAMBDA_IGNORE_ARCHITECTURE: \$\{LAMBDA_IGNORE_ARCHITECTURE:-1\}$/m);
  });

  it('has no SERVICES list, so no service the deploy needs (kms) is left out', () => {
    expect(settings(compose)).not.toMatch(/^\s+SERVICES:/m);
  });
});
