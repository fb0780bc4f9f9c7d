import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalApi,
  type LocalApp,
  type LocalFunction,
  type LocalGatewayResponse,
  type LocalMapping,
  type LocalQueue,
  type LocalRoute,
  type LocalSkippedResource,
  type LocalStream,
  type LocalTable,
  type StartingPosition,
} from '../model';
import { resolveString, resolveValue, TemplateError, type ResolveContext } from './intrinsics';
import { applyConditions, type ConditionedTemplate } from './conditions';
import { refuseAuthorizer, refuseSchemaFormats, refuseTtlStreamMapping, refuseVisibilityBelowTimeout } from './refusals';
import { notEmulatedTypes } from './not-emulated';

export interface CfnResource {
  readonly Type: string;
  /** Name of a condition in `Conditions`: the resource exists only when it is true. */
  readonly Condition?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
}

/** One stack as the loader sees it. */
export interface StackInput {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

export interface LoadOptions {
  /** Base URL of the local AWS endpoint; queue URLs are `<awsEndpoint>/000000000000/<name>`. */
  readonly awsEndpoint: string;
  /** Port of the local API; `ApiUrl`-style outputs become `http://localhost:<apiPort>/`. */
  readonly apiPort: number;
}

/** AWS's initial shard count of an on-demand stream. */
export const ON_DEMAND_SHARDS = 4;
/** Stands for a table's stream ARN until the provisioner knows DynamoDB Local's real one. */
export const PENDING_STREAM_SUFFIX = '/stream/pending-provisioning';

/**
 * Reads a cloud assembly (`cdk.out`): every CloudFormation stack in `manifest.json`, in order.
 *
 * @throws when the manifest or a template is missing (run `npx cdk synth`)
 */
export function readCloudAssembly(cloudAssemblyDir: string): StackInput[] {
  const manifestPath = path.join(cloudAssemblyDir, 'manifest.json');
  let manifest: { artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${manifestPath}: run \`npx cdk synth\` first`, { cause: error });
  }
  const stacks: StackInput[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const templatePath = path.join(cloudAssemblyDir, artifact.properties.templateFile);
    stacks.push({
      stackName: artifact.properties.stackName ?? artifactId,
      template: JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate,
    });
  }
  if (stacks.length === 0) throw new Error(`${manifestPath} lists no CloudFormation stacks`);
  return stacks;
}

/** Loads `cdk.out` into a {@link LocalApp}. */
export function loadLocalApp(cloudAssemblyDir: string, options: LoadOptions): LocalApp {
  return buildLocalApp(readCloudAssembly(cloudAssemblyDir), { ...options, cloudAssemblyDir });
}

interface Physical {
  readonly ref: string;
  readonly atts: Record<string, string>;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;

/**
 * Turns synthesized stacks into a {@link LocalApp}: physical names (`<stackName>-<logicalId>` unless
 * the template names the resource), resolved environment variables, mappings with AWS defaults,
 * the REST API's routes, and each stack's outputs.
 *
 * @throws TemplateError for intrinsics or references the local cloud cannot resolve
 */
export function buildLocalApp(
  synthesized: readonly StackInput[],
  options: LoadOptions & { readonly cloudAssemblyDir: string },
): LocalApp {
  // Conditions first: a resource or output whose condition is false does not exist at all.
  const conditioned = new Map<string, ConditionedTemplate>(
    synthesized.map(({ stackName, template }) => [stackName, applyConditions(template, { stackName, ref: parameterRef(stackName, template) })]),
  );
  const stacks: StackInput[] = synthesized.map(({ stackName }) => ({ stackName, template: conditioned.get(stackName)!.template }));
  const awsEndpoint = options.awsEndpoint.replace(/\/+$/, '');
  const apiUrl = `http://localhost:${options.apiPort}/`;
  const physical = new Map<string, Map<string, Physical>>();
  const contexts = new Map<string, ResolveContext>();
  const exportsByName = new Map<string, { stackName: string; value: unknown; where: string }>();
  const restApiIds = new Set<string>();

  // Physical identities first: every Ref / GetAtt below resolves against them.
  for (const { stackName, template } of stacks) {
    const ids = new Map<string, Physical>();
    physical.set(stackName, ids);
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const props = resource.Properties ?? {};
      const explicit = (key: string): string | undefined => (typeof props[key] === 'string' ? (props[key] as string) : undefined);
      const defaultName = `${stackName}-${logicalId}`;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table': {
          const name = explicit('TableName') ?? defaultName;
          const tableArn = arn('dynamodb', `table/${name}`);
          ids.set(logicalId, { ref: name, atts: { Arn: tableArn, StreamArn: `${tableArn}${PENDING_STREAM_SUFFIX}` } });
          break;
        }
        case 'AWS::Kinesis::Stream': {
          const name = explicit('Name') ?? defaultName;
          ids.set(logicalId, { ref: name, atts: { Arn: arn('kinesis', `stream/${name}`) } });
          break;
        }
        case 'AWS::SQS::Queue': {
          const fifo = isTrue(props.FifoQueue);
          let name = explicit('QueueName') ?? defaultName;
          if (fifo && !name.endsWith('.fifo')) name = `${name}.fifo`;
          const url = `${awsEndpoint}/${LOCAL_ACCOUNT}/${name}`;
          ids.set(logicalId, { ref: url, atts: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } });
          break;
        }
        case 'AWS::Lambda::Function': {
          const name = explicit('FunctionName') ?? defaultName;
          ids.set(logicalId, { ref: name, atts: { Arn: arn('lambda', `function:${name}`) } });
          break;
        }
        case 'AWS::Logs::LogGroup':
          ids.set(logicalId, { ref: explicit('LogGroupName') ?? defaultName, atts: {} });
          break;
        case 'AWS::ApiGateway::RestApi':
          restApiIds.add(logicalId);
          ids.set(logicalId, { ref: logicalId, atts: { RootResourceId: `${logicalId}/` } });
          break;
        case 'AWS::ApiGateway::Stage':
          ids.set(logicalId, { ref: explicit('StageName') ?? logicalId, atts: {} });
          break;
        default:
          ids.set(logicalId, { ref: logicalId, atts: {} });
      }
    }
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      if (output.Export === undefined) continue;
      const exportName = typeof output.Export.Name === 'string' ? output.Export.Name : undefined;
      if (exportName) exportsByName.set(exportName, { stackName, value: output.Value, where: `${stackName}/Outputs/${name}` });
    }
  }

  const contextOf = (stackName: string): ResolveContext => {
    const existing = contexts.get(stackName);
    if (existing) return existing;
    const ids = physical.get(stackName)!;
    const { template, conditions, omitted } = conditioned.get(stackName)!;
    const parameter = parameterRef(stackName, template);
    /** Why a logical id names no resource: CloudFormation refuses a reference to one its condition left out. */
    const missing = (logicalId: string): string => {
      const left = omitted.find((o) => o.logicalId === logicalId);
      return left ? `, which is not created because its condition "${left.condition}" is false (reference it only under Fn::If of the same condition)` : '';
    };
    const context: ResolveContext = {
      stackName,
      ref(logicalId, where) {
        const found = ids.get(logicalId);
        if (found) return found.ref;
        const why = missing(logicalId);
        if (why) throw new TemplateError(`Ref to "${logicalId}"${why}`, where);
        return parameter(logicalId, where);
      },
      getAtt(logicalId, attribute, where) {
        const found = ids.get(logicalId);
        if (!found) throw new TemplateError(`Fn::GetAtt of "${logicalId}"${missing(logicalId) || `, which is not a resource of ${stackName}`}`, where);
        const value = found.atts[attribute];
        if (value === undefined) {
          const known = Object.keys(found.atts);
          throw new TemplateError(
            `Fn::GetAtt ${logicalId}.${attribute} is not supported locally` +
              (known.length ? ` (this resource offers ${known.join(', ')})` : ' (this resource type offers no attributes locally)'),
            where,
          );
        }
        return value;
      },
      importValue(exportName, where) {
        const exported = exportsByName.get(exportName);
        if (!exported) throw new TemplateError(`Fn::ImportValue "${exportName}": no stack of this app exports that name`, where);
        return localizeApiUrl(resolveString(exported.value, contextOf(exported.stackName), exported.where));
      },
      condition(name, where) {
        const value = conditions.get(name);
        if (value === undefined) {
          throw new TemplateError(`condition "${name}" is not defined in Conditions (defined: ${[...conditions.keys()].join(', ') || 'none'})`, where);
        }
        return value;
      },
    };
    contexts.set(stackName, context);
    return context;
  };

  // `https://<restApi>.execute-api.<region>.amazonaws.com/<stage>/...` → the local API.
  const localizeApiUrl = (value: string): string => {
    for (const id of restApiIds) {
      const prefix = new RegExp(`^https://${id}\\.execute-api\\.[^/]+/[^/]+/?`);
      if (prefix.test(value)) return value.replace(prefix, apiUrl);
    }
    return value;
  };

  const tables: LocalTable[] = [];
  const streams: LocalStream[] = [];
  const queues: LocalQueue[] = [];
  const functions: LocalFunction[] = [];
  const mappings: LocalMapping[] = [];
  const skipped: LocalSkippedResource[] = [];
  const outputs: Record<string, Record<string, string>> = {};
  let api: LocalApi | undefined;

  for (const { stackName, template } of stacks) {
    const ctx = contextOf(stackName);
    const ids = physical.get(stackName)!;
    const resources = template.Resources ?? {};
    const skip = (logicalId: string, type: string, reason: string) => skipped.push({ stackName, logicalId, type, reason });
    for (const { logicalId, type, condition } of conditioned.get(stackName)!.omitted) skip(logicalId, type, `condition ${condition} is false`);

    for (const [logicalId, resource] of Object.entries(resources)) {
      const where = `${stackName}/${logicalId}`;
      const prop = (key: string): unknown => resolveValue(resource.Properties?.[key], ctx, `${where}/Properties/${key}`);
      const id = ids.get(logicalId)!;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table': {
          const streamSpec = prop('StreamSpecification') as { StreamViewType?: LocalTable['streamViewType'] } | undefined;
          const ttl = prop('TimeToLiveSpecification') as { AttributeName?: string; Enabled?: unknown } | undefined;
          const gsis = prop('GlobalSecondaryIndexes') as Array<Record<string, unknown>> | undefined;
          const lsis = prop('LocalSecondaryIndexes') as Array<Record<string, unknown>> | undefined;
          tables.push({
            logicalId,
            stackName,
            tableName: id.ref,
            arn: id.atts.Arn,
            keySchema: (prop('KeySchema') ?? []) as LocalTable['keySchema'],
            attributeDefinitions: (prop('AttributeDefinitions') ?? []) as LocalTable['attributeDefinitions'],
            ...(gsis?.length ? { globalSecondaryIndexes: gsis.map(onDemandIndex) } : {}),
            ...(lsis?.length ? { localSecondaryIndexes: lsis } : {}),
            ...(streamSpec?.StreamViewType ? { streamViewType: streamSpec.StreamViewType } : {}),
            ...(ttl && isTrue(ttl.Enabled) && ttl.AttributeName ? { timeToLiveAttribute: ttl.AttributeName } : {}),
          });
          break;
        }
        case 'AWS::Kinesis::Stream': {
          const mode = (prop('StreamModeDetails') as { StreamMode?: string } | undefined)?.StreamMode;
          streams.push({
            logicalId,
            stackName,
            streamName: id.ref,
            arn: id.atts.Arn,
            shardCount: mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : toNumber(prop('ShardCount'), 1),
            retentionHours: toNumber(prop('RetentionPeriodHours'), 24),
          });
          break;
        }
        case 'AWS::SQS::Queue': {
          const rawRedrive = prop('RedrivePolicy');
          const redrive = (typeof rawRedrive === 'string' ? JSON.parse(rawRedrive) : rawRedrive) as
            | { deadLetterTargetArn?: string; maxReceiveCount?: unknown }
            | undefined;
          queues.push({
            logicalId,
            stackName,
            queueName: id.atts.QueueName,
            arn: id.atts.Arn,
            url: id.atts.QueueUrl,
            fifo: isTrue(prop('FifoQueue')),
            contentBasedDeduplication: isTrue(prop('ContentBasedDeduplication')),
            visibilityTimeoutSeconds: toNumber(prop('VisibilityTimeout'), 30),
            messageRetentionSeconds: toNumber(prop('MessageRetentionPeriod'), 345_600),
            ...(redrive?.deadLetterTargetArn
              ? { redrive: { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: toNumber(redrive.maxReceiveCount, 1) } }
              : {}),
          });
          break;
        }
        case 'AWS::Lambda::Function': {
          const assetPath = resource.Metadata?.['aws:asset:path'];
          const runtime = String(resource.Properties?.Runtime ?? '');
          if (typeof assetPath !== 'string') {
            skip(logicalId, resource.Type, 'no aws:asset:path metadata (inline or S3 code is not run locally)');
            break;
          }
          // Every runtime passes: the Lambda runner refuses at start-up what it cannot run (non-Node).
          const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
          const environment: Record<string, string> = {};
          for (const [name, value] of Object.entries(variables)) {
            environment[name] = localizeApiUrl(resolveString(value, ctx, `${where}/Properties/Environment/Variables/${name}`));
          }
          const service = environment.POWERTOOLS_SERVICE_NAME;
          const reserved = prop('ReservedConcurrentExecutions');
          functions.push({
            logicalId,
            stackName,
            functionName: id.ref,
            displayName: service ? service.replace(/^sluice-/, '') : logicalId,
            assetDir: path.resolve(options.cloudAssemblyDir, assetPath),
            handler: String(prop('Handler') ?? 'index.handler'),
            runtime,
            ...functionRuntimeSettings(prop),
            environment,
            timeoutSeconds: toNumber(prop('Timeout'), 3),
            memorySize: toNumber(prop('MemorySize'), 128),
            ...(reserved !== undefined ? { reservedConcurrency: toNumber(reserved, 0) } : {}),
          });
          break;
        }
        default:
      }
    }

    // Mappings after the functions, queues and streams of every earlier stack are known.
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const where = `${stackName}/${logicalId}`;
      const prop = (key: string): unknown => resolveValue(resource.Properties?.[key], ctx, `${where}/Properties/${key}`);
      if (resource.Properties?.Enabled !== undefined && !isTrue(prop('Enabled'))) {
        skip(logicalId, resource.Type, 'disabled (Enabled: false)');
        continue;
      }
      const mapping = buildMapping(logicalId, where, prop, { tables, streams, queues, functions });
      if (typeof mapping === 'string') skip(logicalId, resource.Type, mapping);
      else mappings.push(mapping);
    }

    const stackApi = buildApi(stackName, resources, ctx, skip);
    if (stackApi) {
      if (api) skip(stackApi.logicalId, 'AWS::ApiGateway::RestApi', `only one REST API is served locally (serving ${api.logicalId})`);
      else api = stackApi;
    }

    const stackOutputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      stackOutputs[name] = localizeApiUrl(resolveString(output.Value, ctx, `${stackName}/Outputs/${name}/Value`));
    }
    outputs[stackName] = stackOutputs;
  }

  return {
    cloudAssemblyDir: options.cloudAssemblyDir,
    tables,
    streams,
    queues,
    functions,
    mappings,
    ...(api ? { api } : {}),
    outputs,
    stackNames: stacks.map((s) => s.stackName),
    skipped,
    notEmulated: notEmulatedTypes(stacks.flatMap(({ template }) => Object.values(template.Resources ?? {}))),
  };
}

function buildMapping(
  logicalId: string,
  where: string,
  prop: (key: string) => unknown,
  known: { tables: LocalTable[]; streams: LocalStream[]; queues: LocalQueue[]; functions: LocalFunction[] },
): LocalMapping | string {
  const sourceArn = resolvedString(prop('EventSourceArn'), `${where}/Properties/EventSourceArn`);
  const functionRef = resolvedString(prop('FunctionName'), `${where}/Properties/FunctionName`);
  const functionName = functionRef.includes(':function:') ? functionRef.split(':function:')[1].split(':')[0] : functionRef;
  const reportBatchItemFailures = ((prop('FunctionResponseTypes') ?? []) as string[]).includes('ReportBatchItemFailures');
  const filterPatterns = (((prop('FilterCriteria') as { Filters?: Array<{ Pattern?: string }> }) ?? {}).Filters ?? []).flatMap(
    (f) => (f.Pattern ? [f.Pattern] : []),
  );
  const maxBatchingWindowSeconds = toNumber(prop('MaximumBatchingWindowInSeconds'), 0);

  const queue = known.queues.find((q) => q.arn === sourceArn);
  if (queue) {
    const fn = known.functions.find((f) => f.functionName === functionName);
    if (fn) {
      refuseVisibilityBelowTimeout(
        { queueName: queue.queueName, functionName, visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds, functionTimeoutSeconds: fn.timeoutSeconds },
        where,
      );
    }
    const scaling = prop('ScalingConfig') as { MaximumConcurrency?: unknown } | undefined;
    return {
      kind: 'sqs',
      logicalId,
      functionName,
      queueUrl: queue.url,
      queueArn: queue.arn,
      fifo: queue.fifo,
      batchSize: toNumber(prop('BatchSize'), 10),
      maxBatchingWindowSeconds,
      reportBatchItemFailures,
      ...(scaling?.MaximumConcurrency !== undefined ? { maximumConcurrency: toNumber(scaling.MaximumConcurrency, 1000) } : {}),
      filterPatterns,
    };
  }

  const stream = known.streams.find((s) => s.arn === sourceArn);
  const table = known.tables.find((t) => `${t.arn}${PENDING_STREAM_SUFFIX}` === sourceArn);
  if (!stream && !table) return `event source ${sourceArn} is not a stream, table stream or queue of this app`;
  if (table) refuseTtlStreamMapping(table, where);
  const destination = (prop('DestinationConfig') as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  const onFailureQueue = destination ? known.queues.find((q) => q.arn === destination) : undefined;
  const timestamp = prop('StartingPositionTimestamp');
  return {
    kind: stream ? 'kinesis' : 'dynamodb',
    logicalId,
    functionName,
    sourceName: stream ? stream.streamName : table!.tableName,
    sourceArn,
    batchSize: toNumber(prop('BatchSize'), 100),
    maxBatchingWindowSeconds,
    startingPosition: (prop('StartingPosition') ?? 'LATEST') as StartingPosition,
    ...(timestamp !== undefined ? { startingPositionTimestamp: toNumber(timestamp, 0) } : {}),
    maximumRetryAttempts: toNumber(prop('MaximumRetryAttempts'), -1),
    maximumRecordAgeSeconds: toNumber(prop('MaximumRecordAgeInSeconds'), -1),
    bisectBatchOnFunctionError: isTrue(prop('BisectBatchOnFunctionError')),
    parallelizationFactor: toNumber(prop('ParallelizationFactor'), 1),
    reportBatchItemFailures,
    ...(destination ? { onFailureArn: destination } : {}),
    ...(onFailureQueue ? { onFailureQueueUrl: onFailureQueue.url } : {}),
    filterPatterns,
  };
}

function buildApi(
  stackName: string,
  resources: Record<string, CfnResource>,
  ctx: ResolveContext,
  skip: (logicalId: string, type: string, reason: string) => void,
): LocalApi | undefined {
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const apis = of('AWS::ApiGateway::RestApi');
  if (apis.length === 0) return undefined;
  const [apiId] = apis[0];
  for (const [other] of apis.slice(1)) skip(other, 'AWS::ApiGateway::RestApi', `only one REST API is served locally (serving ${apiId})`);
  const belongs = (r: CfnResource) => resolveValue(r.Properties?.RestApiId, ctx, `${stackName}/RestApiId`) === apiId;
  const rootId = `${apiId}/`;

  const resourcePaths = new Map<string, string>([[rootId, '/']]);
  const parents = new Map<string, { parent: string; part: string }>();
  for (const [logicalId, r] of of('AWS::ApiGateway::Resource')) {
    if (!belongs(r)) continue;
    const where = `${stackName}/${logicalId}/Properties`;
    parents.set(logicalId, {
      parent: resolveString(r.Properties?.ParentId, ctx, `${where}/ParentId`),
      part: resolveString(r.Properties?.PathPart, ctx, `${where}/PathPart`),
    });
  }
  const pathOf = (id: string, seen: Set<string> = new Set()): string => {
    const known = resourcePaths.get(id);
    if (known) return known;
    const entry = parents.get(id);
    if (!entry || seen.has(id)) throw new TemplateError(`API resource "${id}" has no path to the root resource`, `${stackName}/${id}`);
    seen.add(id);
    const parentPath = pathOf(entry.parent, seen);
    const full = `${parentPath === '/' ? '' : parentPath}/${entry.part}`;
    resourcePaths.set(id, full);
    return full;
  };

  const validators = new Map<string, { body: boolean; params: boolean }>();
  for (const [logicalId, r] of of('AWS::ApiGateway::RequestValidator')) {
    if (belongs(r)) {
      validators.set(logicalId, { body: isTrue(r.Properties?.ValidateRequestBody), params: isTrue(r.Properties?.ValidateRequestParameters) });
    }
  }
  const models = new Map<string, Record<string, unknown>>();
  for (const [logicalId, r] of of('AWS::ApiGateway::Model')) {
    if (!belongs(r)) continue;
    const schema = resolveValue(r.Properties?.Schema, ctx, `${stackName}/${logicalId}/Properties/Schema`);
    models.set(logicalId, (typeof schema === 'string' ? JSON.parse(schema) : schema) as Record<string, unknown>);
    const name = r.Properties?.Name;
    if (typeof name === 'string') models.set(name, models.get(logicalId)!);
  }

  const routes: LocalRoute[] = [];
  for (const [logicalId, r] of of('AWS::ApiGateway::Method')) {
    if (!belongs(r)) continue;
    const where = `${stackName}/${logicalId}/Properties`;
    const props = r.Properties ?? {};
    const integration = (props.Integration ?? {}) as { Type?: string; Uri?: unknown };
    if (integration.Type !== 'AWS_PROXY') {
      skip(logicalId, r.Type, `integration type ${integration.Type ?? '(none)'} is not served locally (only AWS_PROXY to Lambda)`);
      continue;
    }
    const uri = resolveString(integration.Uri, ctx, `${where}/Integration/Uri`);
    const fn = /:function:([^/:]+)/.exec(uri);
    if (!fn) {
      skip(logicalId, r.Type, `integration ${uri} does not invoke a Lambda function`);
      continue;
    }
    const validatorId = props.RequestValidatorId ? resolveString(props.RequestValidatorId, ctx, `${where}/RequestValidatorId`) : undefined;
    const validator = validatorId ? validators.get(validatorId) : undefined;
    const requestModels = (resolveValue(props.RequestModels, ctx, `${where}/RequestModels`) ?? {}) as Record<string, string>;
    const modelId = requestModels['application/json'];
    const requestParameters = (resolveValue(props.RequestParameters, ctx, `${where}/RequestParameters`) ?? {}) as Record<string, unknown>;
    const method = resolveString(props.HttpMethod, ctx, `${where}/HttpMethod`).toUpperCase();
    const resourcePath = pathOf(resolveString(props.ResourceId, ctx, `${where}/ResourceId`));
    refuseAuthorizer(`${method} ${resourcePath}`, resolveValue(props.AuthorizationType, ctx, `${where}/AuthorizationType`), props.AuthorizerId, `${where}/AuthorizationType`);
    if (validator?.body && modelId && models.has(modelId)) refuseSchemaFormats(`${method} ${resourcePath}`, models.get(modelId), `${where}/RequestModels`);
    routes.push({
      method,
      resourcePath,
      functionName: fn[1],
      apiKeyRequired: isTrue(props.ApiKeyRequired),
      validateBody: validator?.body ?? false,
      validateParameters: validator?.params ?? false,
      ...(modelId && models.has(modelId) ? { bodySchema: models.get(modelId)! } : {}),
      requestParameters: Object.fromEntries(Object.entries(requestParameters).map(([k, v]) => [k, isTrue(v)])),
    });
  }

  const gatewayResponses: LocalGatewayResponse[] = [];
  for (const [logicalId, r] of of('AWS::ApiGateway::GatewayResponse')) {
    if (!belongs(r)) continue;
    const props = resolveValue(r.Properties, ctx, `${stackName}/${logicalId}/Properties`) as Record<string, unknown>;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((props.ResponseParameters ?? {}) as Record<string, string>)) {
      const match = /^gatewayresponse\.header\.(.+)$/.exec(key);
      if (match) headers[match[1]] = String(value).replace(/^'(.*)'$/, '$1');
    }
    gatewayResponses.push({
      type: String(props.ResponseType),
      ...(props.StatusCode !== undefined ? { statusCode: String(props.StatusCode) } : {}),
      headers,
      templates: (props.ResponseTemplates ?? {}) as Record<string, string>,
    });
  }

  const stage = of('AWS::ApiGateway::Stage').find(([, r]) => belongs(r));
  const plan = of('AWS::ApiGateway::UsagePlan')[0]?.[1];
  const throttle = plan?.Properties?.Throttle as { RateLimit?: unknown; BurstLimit?: unknown } | undefined;
  return {
    logicalId: apiId,
    stageName: stage ? resolveString(stage[1].Properties?.StageName, ctx, `${stackName}/${stage[0]}/Properties/StageName`) : 'prod',
    routes,
    gatewayResponses,
    ...(throttle?.RateLimit !== undefined && throttle.BurstLimit !== undefined
      ? { throttle: { rateLimit: toNumber(throttle.RateLimit, 0), burstLimit: toNumber(throttle.BurstLimit, 0) } }
      : {}),
  };
}

/** `Ref` of a parameter: its default (the local cloud takes no parameter values). */
function parameterRef(stackName: string, template: CfnTemplate): (name: string, where: string) => string {
  const parameters = template.Parameters ?? {};
  return (name, where) => {
    if (Object.prototype.hasOwnProperty.call(parameters, name) && parameters[name].Default !== undefined) return String(parameters[name].Default);
    throw new TemplateError(`Ref to "${name}", which is neither a resource nor a parameter with a default in ${stackName}`, where);
  };
}

/** GSIs are created on-demand locally: provisioned throughput settings are dropped. */
function onDemandIndex(index: Record<string, unknown>): Record<string, unknown> {
  const { ProvisionedThroughput: _dropped, ...rest } = index;
  return rest;
}

function resolvedString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TemplateError(`expected a string, got ${JSON.stringify(value)}`, where);
  return value;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function toNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/** Replaces each table's pending stream ARN with the one DynamoDB Local assigned, everywhere in the app. */
export function withStreamArns(app: LocalApp): LocalApp {
  const replacements = new Map<string, string>();
  for (const table of app.tables) {
    if (table.streamArn) replacements.set(`${table.arn}${PENDING_STREAM_SUFFIX}`, table.streamArn);
  }
  if (replacements.size === 0) return app;
  const swap = (value: string): string => replacements.get(value) ?? value;
  return {
    ...app,
    functions: app.functions.map((f) => ({
      ...f,
      environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, swap(v)])),
    })),
    mappings: app.mappings.map((m) => (m.kind === 'sqs' ? m : { ...m, sourceArn: swap(m.sourceArn) })),
    outputs: Object.fromEntries(
      Object.entries(app.outputs).map(([stack, values]) => [
        stack,
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, swap(v)])),
      ]),
    ),
  };
}

/** Architecture, logging and tracing settings of a function, as the Lambda runner applies them. */
function functionRuntimeSettings(prop: (key: string) => unknown): Pick<LocalFunction, 'architecture' | 'logFormat' | 'logGroup' | 'applicationLogLevel' | 'tracingMode'> {
  const architectures = prop('Architectures');
  const logging = (prop('LoggingConfig') ?? {}) as { LogFormat?: unknown; LogGroup?: unknown; ApplicationLogLevel?: unknown };
  const tracing = (prop('TracingConfig') ?? {}) as { Mode?: unknown };
  return {
    ...(Array.isArray(architectures) && architectures[0] === 'arm64' ? { architecture: 'arm64' as const } : {}),
    ...(logging.LogFormat === 'JSON' ? { logFormat: 'JSON' as const } : {}),
    ...(typeof logging.LogGroup === 'string' ? { logGroup: logging.LogGroup } : {}),
    ...(typeof logging.ApplicationLogLevel === 'string' ? { applicationLogLevel: logging.ApplicationLogLevel } : {}),
    ...(tracing.Mode === 'Active' ? { tracingMode: 'Active' as const } : {}),
  };
}
