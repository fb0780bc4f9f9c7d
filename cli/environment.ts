import { table } from './table';

/** One environment variable the CLI reads (itself or through the AWS SDK). */
export interface EnvironmentVariable {
  readonly name: string;
  readonly meaning: string;
  readonly default: string;
}

/**
 * Every environment variable the CLI reads: `sluice help environment` prints this list, and a unit
 * test fails when `cli/` or `bin/` reads one that is not here. A flag wins over its variable.
 */
export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'SLUICE_OUTPUTS_FILE', meaning: 'stack outputs file when neither --outputs nor --stage is given', default: '.sluice/outputs.local.json' },
  { name: 'SLUICE_API_URL', meaning: 'API base URL for send, instead of the ApiUrl output', default: 'the ApiUrl output' },
  { name: 'SLUICE_API_KEY', meaning: 'x-api-key for send', default: "local-dev-key on the local cloud; a deployed stage's key read through its ApiKeyId output" },
  { name: 'SLUICE_DEBUG', meaning: 'any value: print the stack trace under an error', default: 'unset' },
  { name: 'NO_COLOR', meaning: 'any non-empty value: no colour (colour is also off when the output is not a terminal)', default: 'unset' },
  {
    name: 'AWS_ENDPOINT_URL',
    meaning: 'AWS endpoint (read by the SDK, and by settle); --endpoint-url wins',
    default: 'unset = AWS itself; http://localhost:4566 for npm start',
  },
  { name: 'AWS_PROFILE', meaning: 'AWS profile for credentials and region (read by the SDK); --profile wins', default: 'default' },
  { name: 'AWS_REGION', meaning: 'AWS region (read by the SDK); --region wins', default: "the profile's region" },
  {
    name: 'AWS_ACCESS_KEY_ID',
    meaning: 'static credentials (read by the SDK; ignored when --profile or AWS_PROFILE is set); any value works locally',
    default: 'unset',
  },
  { name: 'AWS_SECRET_ACCESS_KEY', meaning: 'static credentials, with AWS_ACCESS_KEY_ID (read by the SDK)', default: 'unset' },
  { name: 'AWS_SESSION_TOKEN', meaning: 'session token of temporary credentials (read by the SDK)', default: 'unset' },
  { name: 'AWS_CONFIG_FILE', meaning: 'AWS config file with the profiles (read by the SDK)', default: '~/.aws/config' },
  { name: 'AWS_SHARED_CREDENTIALS_FILE', meaning: 'AWS credentials file (read by the SDK)', default: '~/.aws/credentials' },
  {
    name: 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    meaning: "silences the SDK's advice to upgrade Node (the CLI sets it when unset)",
    default: 'true',
  },
];

/** The text of `sluice help environment`. */
export function environmentHelp(): string {
  const rows = ENVIRONMENT.map((v) => [v.name, `${v.meaning} (default: ${v.default})`]);
  return [
    'Environment variables sluice reads (a flag wins over its variable):',
    '',
    ...table(rows).map((row) => `  ${row}`),
    '',
    'The AWS SDK also reads its other standard variables and ~/.aws files (see the AWS SDKs and Tools reference guide).',
    '',
  ].join('\n');
}
