/** Handler of `AWS::Lambda::Function`: a function the Lambda runner runs from its bundled asset. */
import path from 'node:path';
import type { LocalFunction } from '../model';
import { resolveString } from './intrinsics';
import type { ResourceInput, ResourceTypeHandler, LoaderScope } from './resource-handler';
import { localArn, toNumber } from './values';

export const lambdaFunction: ResourceTypeHandler = {
  identity({ explicit, defaultName }) {
    const name = explicit('FunctionName') ?? defaultName;
    return { ref: name, atts: { Arn: localArn('lambda', `function:${name}`) } };
  },
  build(input, scope) {
    const { logicalId, stackName, resource, id, prop } = input;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') {
      scope.skip(stackName, logicalId, resource.Type, 'no aws:asset:path metadata (inline or S3 code is not run locally)');
      return;
    }
    // Every runtime passes: the Lambda runner refuses at start-up what it cannot run (non-Node).
    const environment = functionEnvironment(input, scope);
    const reserved = prop('ReservedConcurrentExecutions');
    scope.parts.functions.push({
      logicalId,
      stackName,
      functionName: id.ref,
      displayName: scope.options.displayName?.({ logicalId, environment }) ?? logicalId,
      assetDir: path.resolve(scope.options.cloudAssemblyDir, assetPath),
      handler: String(prop('Handler') ?? 'index.handler'),
      runtime: String(resource.Properties?.Runtime ?? ''),
      ...functionRuntimeSettings(prop),
      environment,
      timeoutSeconds: toNumber(prop('Timeout'), 3),
      memorySize: toNumber(prop('MemorySize'), 128),
      ...(reserved !== undefined ? { reservedConcurrency: toNumber(reserved, 0) } : {}),
    });
  },
};

/** The environment variables, resolved, with API Gateway URLs pointing at the local API. */
function functionEnvironment({ resource, ctx, where }: ResourceInput, scope: LoaderScope): Record<string, string> {
  const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = scope.localizeApiUrl(resolveString(value, ctx, `${where}/Properties/Environment/Variables/${name}`));
  }
  return environment;
}

/** Architecture, logging and tracing settings of a function, as the Lambda runner applies them. */
function functionRuntimeSettings(
  prop: (key: string) => unknown,
): Pick<LocalFunction, 'architecture' | 'logFormat' | 'logGroup' | 'applicationLogLevel' | 'tracingMode'> {
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
