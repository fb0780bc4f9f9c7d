import * as fs from 'node:fs';
import { LOCAL_OUTPUTS_FILE } from '../../../cli/outputs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Where the integration suite runs: the local cloud started by the global setup, LocalStack,
 * or a real AWS stage. Everything is found the same way a user finds it after a deploy:
 * the stack outputs file (`cdk deploy --outputs-file`), the API key, and the SDK's own
 * endpoint and credential resolution (`AWS_ENDPOINT_URL`, `AWS_REGION`, profiles).
 */
export interface Target {
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Stack outputs merged across the stateful and stateless stacks. */
  readonly outputs: Readonly<Record<string, string>>;
}

export const OUTPUTS_FILE_ENV = 'SLUICE_OUTPUTS_FILE';

export function target(): Target {
  const file = process.env[OUTPUTS_FILE_ENV] ?? LOCAL_OUTPUTS_FILE;
  if (!fs.existsSync(file)) {
    throw new Error(`no stack outputs at ${file}: run the suite with npm test (it starts the local cloud) or set ${OUTPUTS_FILE_ENV}`);
  }
  const byStack: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(file, 'utf8'));
  const outputs = Object.assign({}, ...Object.values(byStack)) as Record<string, string>;
  const apiUrl = (process.env.SLUICE_API_URL ?? outputs.ApiUrl ?? '').replace(/\/$/, '');
  if (!apiUrl) throw new Error(`the outputs in ${file} have no ApiUrl; set SLUICE_API_URL`);
  return { apiUrl, apiKey: process.env.SLUICE_API_KEY ?? 'local-dev-key', outputs };
}

/** Reads a stack output, failing with the list of known outputs when it is missing. */
export function output(name: string): string {
  const { outputs } = target();
  const value = outputs[name];
  if (!value) throw new Error(`stack output ${name} is missing; known: ${Object.keys(outputs).join(', ')}`);
  return value;
}

const sdk = { region: process.env.AWS_REGION ?? 'us-east-1' };
export const clients = {
  kinesis: new KinesisClient(sdk),
  sqs: new SQSClient(sdk),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(sdk)),
  destroy(): void {
    this.kinesis.destroy();
    this.sqs.destroy();
    this.dynamo.destroy();
  },
};
