import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { apiGatewayModel } from './api-models';
import { GATEWAY_ERRORS, gatewayErrorTemplate, PAYLOAD_TOO_LARGE_MESSAGE } from './api-gateway-errors';
import { API_ROUTES, type ApiFunction, type ApiRoute } from './api-routes';
import { BodySizeFirewall } from './body-size-firewall';

export { PAYLOAD_TOO_LARGE_MESSAGE } from './api-gateway-errors';

export interface IngestionApiProps {
  readonly stage: string;
  /** Handles `POST /events`. */
  readonly ingestFunction: lambda.IFunction;
  /** Handles `POST /accounts`, `POST /accounts/{id}/deposits|withdrawals`. */
  readonly commandFunction: lambda.IFunction;
  /** Handles `GET /accounts/{id}` and `GET /accounts/{id}/transactions`. */
  readonly queryFunction: lambda.IFunction;
  /** @default true; false leaves the WAF web ACL out, so a body over 6 MB is a 5xx (LocalStack community only) */
  readonly firewall?: boolean;
  /** @default 100 requests/s steady, 200 burst */
  readonly throttle?: apigateway.ThrottleSettings;
  readonly logRetention: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY (prod passes RETAIN so access logs outlive the stack) */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The REST API of sluice: event ingestion and account commands/queries as Lambda proxy routes,
 * guarded by an API key and a throttled usage plan, with request models checked at the edge and
 * every gateway error returned in the contract's shape `{"error", "message"}`.
 */
export class IngestionApi extends Construct {
  public readonly api: apigateway.RestApi;
  public readonly apiKey: apigateway.IApiKey;
  /** The WAF web ACL on the stage: a body too large for a Lambda invoke is a 413, not a 5xx. */
  public readonly firewall?: BodySizeFirewall;
  /** JSON access log: API Gateway's standard fields plus `stage` (the 429 count is read from it). */
  public readonly accessLogs: logs.LogGroup;

  public constructor(scope: Construct, id: string, props: IngestionApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY });
    this.accessLogs = accessLogs;
    this.api = new apigateway.RestApi(this, 'Api', {
      description: `sluice event ingestion and accounts API (${props.stage})`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat(),
        metricsEnabled: true,
        // X-Ray on the stage: the API's segment is the parent of the functions' (docs/tracing.md).
        tracingEnabled: true,
      },
      defaultMethodOptions: { apiKeyRequired: true },
    });
    addErrorResponses(this.api);

    this.addRoutes({ ingest: props.ingestFunction, command: props.commandFunction, query: props.queryFunction });

    this.apiKey = this.api.addApiKey('ApiKey', { description: `sluice ${props.stage} API key` });
    const plan = this.api.addUsagePlan('UsagePlan', {
      description: `sluice ${props.stage} throttling`,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
    });
    plan.addApiKey(this.apiKey);
    plan.addApiStage({ stage: this.api.deploymentStage });

    if (props.firewall === false) return;
    this.firewall = new BodySizeFirewall(this, 'Firewall', {
      stage: this.api.deploymentStage,
      metricPrefix: `sluice-${props.stage}`,
      tooLargeBody: JSON.stringify({ error: 'payload_too_large', message: PAYLOAD_TOO_LARGE_MESSAGE }),
    });
  }

  /**
   * One method per route of {@link API_ROUTES}: a body is checked against its generated model
   * (and the path parameters are required), a route without a body has its parameters checked.
   */
  private addRoutes(functions: Readonly<Record<ApiFunction, lambda.IFunction>>): void {
    const bodyValidator = this.api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    const paramsValidator = this.api.addRequestValidator('ParamsValidator', { validateRequestBody: false, validateRequestParameters: true });
    const integrations = Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, new apigateway.LambdaIntegration(fn)])) as Record<
      ApiFunction,
      apigateway.LambdaIntegration
    >;
    const bodies = new Map(API_ROUTES.flatMap((route) => (route.body ? [[route.body.name, route.body] as const] : [])));
    const models = new Map([...bodies].map(([name, body]) => [name, this.api.addModel(name, { contentType: 'application/json', schema: apiGatewayModel(body) })]));

    for (const route of API_ROUTES) {
      const model = route.body && models.get(route.body.name);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integrations[route.function], {
        requestValidator: route.body ? bodyValidator : paramsValidator,
        ...(model ? { requestModels: { 'application/json': model } } : {}),
        ...(requestParameters(route) ? { requestParameters: requestParameters(route) } : {}),
      });
    }
  }
}

/** API Gateway's standard JSON access-log fields plus the stage, so a metric filter can count by stage. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const standard: Record<string, string> = JSON.parse(apigateway.AccessLogFormat.jsonWithStandardFields().toString());
  return apigateway.AccessLogFormat.custom(JSON.stringify({ ...standard, stage: apigateway.AccessLogField.contextStage() }));
}

/** `method.request.path.<name>` (required) and `method.request.querystring.<name>` (optional) of a route. */
function requestParameters(route: ApiRoute): Record<string, boolean> | undefined {
  const parameters = {
    ...Object.fromEntries(Object.keys(route.pathParameters ?? {}).map((name) => [`method.request.path.${name}`, true])),
    ...Object.fromEntries(Object.keys(route.query?.shape ?? {}).map((name) => [`method.request.querystring.${name}`, false])),
  };
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/** Gateway errors in the same shape the functions use: `{"error": code, "message": text}`. */
function addErrorResponses(api: apigateway.RestApi): void {
  for (const gatewayError of GATEWAY_ERRORS) {
    api.addGatewayResponse(gatewayError.id, {
      type: gatewayError.type,
      ...(gatewayError.status ? { statusCode: String(gatewayError.status) } : {}),
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: { 'application/json': gatewayErrorTemplate(gatewayError) },
    });
  }
}
