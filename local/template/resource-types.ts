/**
 * The table of resource-type handlers: one entry per CloudFormation type the local cloud models.
 * A type not listed here gets no local counterpart (`Ref` is its logical id) and is reported by
 * not-emulated.ts; supporting a new type means adding one handler here, not touching the loader.
 */
import { apiStage, restApi } from './api';
import { dynamoDbTable, kinesisStream, sqsQueue } from './data-resources';
import { lambdaFunction } from './function-resource';
import { eventSourceMapping } from './mappings';
import type { ResourceTypeHandler } from './resource-handler';

const logGroup: ResourceTypeHandler = {
  identity: ({ explicit, defaultName }) => ({ ref: explicit('LogGroupName') ?? defaultName, atts: {} }),
};

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeHandler>> = {
  'AWS::DynamoDB::Table': dynamoDbTable,
  'AWS::Kinesis::Stream': kinesisStream,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::EventSourceMapping': eventSourceMapping,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::ApiGateway::Stage': apiStage,
};

/** The handler of a type, if the local cloud models it. */
export function handlerOf(type: string): ResourceTypeHandler | undefined {
  return Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, type) ? RESOURCE_TYPES[type] : undefined;
}
