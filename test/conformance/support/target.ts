import * as fs from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROBE_STACK_NAME } from '../app/scenarios';

/** Where the probe stack's outputs are: written by the global setup locally, by `cdk deploy --outputs-file` elsewhere. */
export const OUTPUTS_FILE_ENV = 'SLUICE_CONFORMANCE_OUTPUTS_FILE';
/** The probe API's key value: set by the global setup (local key, or read from the deployed ApiKeyId). */
export const API_KEY_ENV = 'SLUICE_CONFORMANCE_API_KEY';

/** Whether the suite runs against a cloud it did not start (AWS, LocalStack): `SLUICE_TEST_TARGET=external`. */
export const isExternal = (): boolean => process.env.SLUICE_TEST_TARGET === 'external';

let cached: Record<string, string> | undefined;

/**
 * Reads a probe stack output.
 *
 * @throws when the outputs file is missing or lacks the output (lists the outputs it has)
 */
export function output(name: string): string {
  if (!cached) {
    const file = process.env[OUTPUTS_FILE_ENV];
    if (!file || !fs.existsSync(file)) {
      throw new Error(
        `no probe stack outputs at ${file ?? `(unset ${OUTPUTS_FILE_ENV})`}: run npm run test:conformance, or deploy the probe stack (docs/conformance.md) and set ${OUTPUTS_FILE_ENV}`,
      );
    }
    const byStack = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    cached = byStack[PROBE_STACK_NAME] ?? Object.assign({}, ...Object.values(byStack));
  }
  const value = cached![name];
  if (!value) throw new Error(`probe stack output ${name} is missing; known: ${Object.keys(cached!).join(', ')}`);
  return value;
}

export function apiKey(): string {
  const key = process.env[API_KEY_ENV];
  if (!key) throw new Error(`${API_KEY_ENV} is not set: the global setup sets it; run the suite through jest --selectProjects conformance`);
  return key;
}

const sdk = { region: process.env.AWS_REGION ?? 'us-east-1' };
/** Real SDK v3 clients; endpoint and credentials as the SDK resolves them (AWS_ENDPOINT_URL, profiles). */
export const clients = {
  kinesis: new KinesisClient(sdk),
  sqs: new SQSClient(sdk),
  lambda: new LambdaClient(sdk),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(sdk)),
  destroy(): void {
    this.kinesis.destroy();
    this.sqs.destroy();
    this.lambda.destroy();
    this.dynamo.destroy();
  },
};
