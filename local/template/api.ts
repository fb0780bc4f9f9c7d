/**
 * Handlers of the REST API: `AWS::ApiGateway::RestApi` builds the one API the local cloud serves
 * from the stack's resources, methods, validators, models, gateway responses, stage and usage plan.
 */
import type { LocalApi, LocalGatewayResponse, LocalRoute } from '../model';
import { resolveString, resolveValue, TemplateError, type ResolveContext } from './intrinsics';
import { refuseAuthorizer, refuseSchemaFormats } from './refusals';
import type { ResourceInput, ResourceTypeHandler } from './resource-handler';
import type { CfnResource } from './template-types';
import { isTrue, toNumber } from './values';

export const restApi: ResourceTypeHandler = {
  identity: ({ logicalId }) => ({ ref: logicalId, atts: { RootResourceId: `${logicalId}/` }, executeApiId: logicalId }),
  phase: 'api',
  build(input, scope) {
    const { stackName, logicalId, resource } = input;
    if (scope.parts.api) {
      scope.skip(stackName, logicalId, resource.Type, `only one REST API is served locally (serving ${scope.parts.api.logicalId})`);
      return;
    }
    scope.parts.api = buildApi(new ApiResources(input), (id, type, reason) => scope.skip(stackName, id, type, reason));
  },
};

export const apiStage: ResourceTypeHandler = {
  identity: ({ logicalId, explicit }) => ({ ref: explicit('StageName') ?? logicalId, atts: {} }),
};

type Skip = (logicalId: string, type: string, reason: string) => void;

/** The resources of one REST API in its stack, with their intrinsics resolved on demand. */
class ApiResources {
  readonly apiId: string;
  readonly stackName: string;
  readonly ctx: ResolveContext;
  private readonly resources: Readonly<Record<string, CfnResource>>;

  constructor(input: ResourceInput) {
    this.apiId = input.logicalId;
    this.stackName = input.stackName;
    this.ctx = input.ctx;
    this.resources = input.stackResources;
  }

  /** The stack's resources of a type that belong to this API (`RestApiId` resolves to it). */
  of(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type && this.belongs(r));
  }

  /** Resources of a type whether or not they name the API (usage plans name it through stages). */
  allOf(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  value(raw: unknown, where: string): unknown {
    return resolveValue(raw, this.ctx, `${this.stackName}/${where}`);
  }

  text(raw: unknown, where: string): string {
    return resolveString(raw, this.ctx, `${this.stackName}/${where}`);
  }

  private belongs(r: CfnResource): boolean {
    return resolveValue(r.Properties?.RestApiId, this.ctx, `${this.stackName}/RestApiId`) === this.apiId;
  }
}

function buildApi(api: ApiResources, skip: Skip): LocalApi {
  const stage = api.of('AWS::ApiGateway::Stage')[0];
  const plan = api.allOf('AWS::ApiGateway::UsagePlan')[0]?.[1];
  const throttle = plan?.Properties?.Throttle as { RateLimit?: unknown; BurstLimit?: unknown } | undefined;
  return {
    logicalId: api.apiId,
    stageName: stage ? api.text(stage[1].Properties?.StageName, `${stage[0]}/Properties/StageName`) : 'prod',
    routes: apiRoutes(api, skip),
    gatewayResponses: gatewayResponses(api),
    ...(throttle?.RateLimit !== undefined && throttle.BurstLimit !== undefined
      ? { throttle: { rateLimit: toNumber(throttle.RateLimit, 0), burstLimit: toNumber(throttle.BurstLimit, 0) } }
      : {}),
  };
}

/** Resolves an API resource id to its path (`/accounts/{id}`), following `ParentId` up to the root. */
function resourcePaths(api: ApiResources): (id: string) => string {
  const paths = new Map<string, string>([[`${api.apiId}/`, '/']]);
  const parents = new Map<string, { parent: string; part: string }>();
  for (const [logicalId, r] of api.of('AWS::ApiGateway::Resource')) {
    const where = `${logicalId}/Properties`;
    parents.set(logicalId, { parent: api.text(r.Properties?.ParentId, `${where}/ParentId`), part: api.text(r.Properties?.PathPart, `${where}/PathPart`) });
  }
  const pathOf = (id: string, seen: Set<string> = new Set()): string => {
    const known = paths.get(id);
    if (known) return known;
    const entry = parents.get(id);
    if (!entry || seen.has(id)) throw new TemplateError(`API resource "${id}" has no path to the root resource`, `${api.stackName}/${id}`);
    seen.add(id);
    const parentPath = pathOf(entry.parent, seen);
    const full = `${parentPath === '/' ? '' : parentPath}/${entry.part}`;
    paths.set(id, full);
    return full;
  };
  return pathOf;
}

/** Request validators and models, by logical id (models also by `Name`). */
function validation(api: ApiResources): { validators: Map<string, { body: boolean; params: boolean }>; models: Map<string, Record<string, unknown>> } {
  const validators = new Map<string, { body: boolean; params: boolean }>();
  for (const [logicalId, r] of api.of('AWS::ApiGateway::RequestValidator')) {
    validators.set(logicalId, { body: isTrue(r.Properties?.ValidateRequestBody), params: isTrue(r.Properties?.ValidateRequestParameters) });
  }
  const models = new Map<string, Record<string, unknown>>();
  for (const [logicalId, r] of api.of('AWS::ApiGateway::Model')) {
    const schema = api.value(r.Properties?.Schema, `${logicalId}/Properties/Schema`);
    models.set(logicalId, (typeof schema === 'string' ? JSON.parse(schema) : schema) as Record<string, unknown>);
    const name = r.Properties?.Name;
    if (typeof name === 'string') models.set(name, models.get(logicalId)!);
  }
  return { validators, models };
}

/** One route per `AWS_PROXY` method to a Lambda function; other methods are skipped, saying why. */
function apiRoutes(api: ApiResources, skip: Skip): LocalRoute[] {
  const pathOf = resourcePaths(api);
  const { validators, models } = validation(api);
  const routes: LocalRoute[] = [];
  for (const [logicalId, r] of api.of('AWS::ApiGateway::Method')) {
    const where = `${logicalId}/Properties`;
    const props = r.Properties ?? {};
    const integration = (props.Integration ?? {}) as { Type?: string; Uri?: unknown };
    if (integration.Type !== 'AWS_PROXY') {
      skip(logicalId, r.Type, `integration type ${integration.Type ?? '(none)'} is not served locally (only AWS_PROXY to Lambda)`);
      continue;
    }
    const uri = api.text(integration.Uri, `${where}/Integration/Uri`);
    const fn = /:function:([^/:]+)/.exec(uri);
    if (!fn) {
      skip(logicalId, r.Type, `integration ${uri} does not invoke a Lambda function`);
      continue;
    }
    const validatorId = props.RequestValidatorId ? api.text(props.RequestValidatorId, `${where}/RequestValidatorId`) : undefined;
    const validator = validatorId ? validators.get(validatorId) : undefined;
    const modelId = ((api.value(props.RequestModels, `${where}/RequestModels`) ?? {}) as Record<string, string>)['application/json'];
    const bodySchema = modelId ? models.get(modelId) : undefined;
    const requestParameters = (api.value(props.RequestParameters, `${where}/RequestParameters`) ?? {}) as Record<string, unknown>;
    const method = api.text(props.HttpMethod, `${where}/HttpMethod`).toUpperCase();
    const resourcePath = pathOf(api.text(props.ResourceId, `${where}/ResourceId`));
    refuseAuthorizer(
      `${method} ${resourcePath}`,
      api.value(props.AuthorizationType, `${where}/AuthorizationType`),
      props.AuthorizerId,
      `${api.stackName}/${where}/AuthorizationType`,
    );
    if (validator?.body && bodySchema) refuseSchemaFormats(`${method} ${resourcePath}`, bodySchema, `${api.stackName}/${where}/RequestModels`);
    routes.push({
      method,
      resourcePath,
      functionName: fn[1],
      apiKeyRequired: isTrue(props.ApiKeyRequired),
      validateBody: validator?.body ?? false,
      validateParameters: validator?.params ?? false,
      ...(bodySchema ? { bodySchema } : {}),
      requestParameters: Object.fromEntries(Object.entries(requestParameters).map(([k, v]) => [k, isTrue(v)])),
    });
  }
  return routes;
}

/** The API's gateway responses (its own 4xx/5xx bodies and headers). */
function gatewayResponses(api: ApiResources): LocalGatewayResponse[] {
  return api.of('AWS::ApiGateway::GatewayResponse').map(([logicalId, r]) => {
    const props = api.value(r.Properties, `${logicalId}/Properties`) as Record<string, unknown>;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((props.ResponseParameters ?? {}) as Record<string, string>)) {
      const match = /^gatewayresponse\.header\.(.+)$/.exec(key);
      if (match) headers[match[1]] = String(value).replace(/^'(.*)'$/, '$1');
    }
    return {
      type: String(props.ResponseType),
      ...(props.StatusCode !== undefined ? { statusCode: String(props.StatusCode) } : {}),
      headers,
      templates: (props.ResponseTemplates ?? {}) as Record<string, string>,
    };
  });
}
