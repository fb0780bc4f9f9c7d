/**
 * Parts of a `LocalApp` (the local cloud's view of the synthesized templates) for unit tests of
 * the code that reads it: each factory gives a plausible resource, overridden field by field.
 */
import type { LocalApp, LocalFunction, LocalQueue, LocalStreamMapping, LocalTable } from '../../../local/model';

export const localTable = (name: string, overrides: Partial<LocalTable> = {}): LocalTable => ({
  logicalId: `${name}Table`,
  stackName: 'stateful',
  tableName: name,
  arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
  keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  ...overrides,
});
export const localQueue = (name: string, overrides: Partial<LocalQueue> = {}): LocalQueue => ({
  logicalId: `${name}Queue`,
  stackName: 'stateful',
  queueName: name,
  arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
  url: `http://localhost:4566/000000000000/${name}`,
  fifo: false,
  contentBasedDeduplication: false,
  visibilityTimeoutSeconds: 30,
  messageRetentionSeconds: 345600,
  ...overrides,
});
export const localFunction = (name: string, overrides: Partial<LocalFunction> = {}): LocalFunction => ({
  logicalId: `${name}Fn`,
  stackName: 'stateless',
  functionName: `sluice-dev-${name}`,
  displayName: name,
  assetDir: `/assembly/asset.${name}`,
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  environment: { TABLE: 'balances' },
  timeoutSeconds: 30,
  memorySize: 256,
  ...overrides,
});
export const localStreamMapping = (logicalId: string, overrides: Partial<LocalStreamMapping> = {}): LocalStreamMapping => ({
  kind: 'kinesis',
  logicalId,
  functionName: 'sluice-dev-projector',
  sourceName: 'events',
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  maximumRetryAttempts: 3,
  maximumRecordAgeSeconds: 3600,
  bisectBatchOnFunctionError: true,
  parallelizationFactor: 1,
  reportBatchItemFailures: true,
  filterPatterns: [],
  sourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
  ...overrides,
});
export const localApp = (parts: Partial<LocalApp> = {}): LocalApp => ({
  cloudAssemblyDir: '/assembly',
  tables: [localTable('balances')],
  streams: [],
  queues: [localQueue('work')],
  functions: [localFunction('projector'), localFunction('query')],
  mappings: [localStreamMapping('ProjectorMapping')],
  outputs: {},
  ...parts,
});
