import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { amountSchema, depositSchema, openAccountSchema, postEventsSchema } from './api-models';
import { BodySizeFirewall } from './body-size-firewall';

/** What a caller whose body is too large reads, from the gateway (over 10 MB) and from the WAF rule (over 6 MB) alike. */
export const PAYLOAD_TOO_LARGE_MESSAGE = 'the request body is too large: send at most 500 events and 5 MB per request';

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
      },
      defaultMethodOptions: { apiKeyRequired: true },
    });
    addErrorResponses(this.api);

    const bodyValidator = this.api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    const paramsValidator = this.api.addRequestValidator('ParamsValidator', { validateRequestBody: false, validateRequestParameters: true });
    const model = (modelId: string, schema: apigateway.JsonSchema) =>
      this.api.addModel(modelId, { contentType: 'application/json', schema });
    const withBody = (m: apigateway.IModel): apigateway.MethodOptions => ({
      requestValidator: bodyValidator,
      requestModels: { 'application/json': m },
    });
    const accountPath: apigateway.MethodOptions = {
      requestValidator: paramsValidator,
      requestParameters: { 'method.request.path.id': true },
    };

    const ingest = new apigateway.LambdaIntegration(props.ingestFunction);
    const command = new apigateway.LambdaIntegration(props.commandFunction);
    const query = new apigateway.LambdaIntegration(props.queryFunction);
    const amount = model('AmountCommand', amountSchema);

    this.api.root.addResource('events').addMethod('POST', ingest, withBody(model('PostEvents', postEventsSchema)));
    const accounts = this.api.root.addResource('accounts');
    accounts.addMethod('POST', command, withBody(model('OpenAccount', openAccountSchema)));
    const account = accounts.addResource('{id}');
    account.addMethod('GET', query, accountPath);
    account.addResource('deposits').addMethod('POST', command, {
      ...withBody(model('DepositCommand', depositSchema)),
      requestParameters: accountPath.requestParameters,
    });
    account.addResource('withdrawals').addMethod('POST', command, { ...withBody(amount), requestParameters: accountPath.requestParameters });
    account.addResource('transactions').addMethod('GET', query, {
      ...accountPath,
      requestParameters: {
        ...accountPath.requestParameters,
        'method.request.querystring.limit': false,
        'method.request.querystring.cursor': false,
      },
    });

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
}

/** API Gateway's standard JSON access-log fields plus the stage, so a metric filter can count by stage. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const standard: Record<string, string> = JSON.parse(apigateway.AccessLogFormat.jsonWithStandardFields().toString());
  return apigateway.AccessLogFormat.custom(JSON.stringify({ ...standard, stage: apigateway.AccessLogField.contextStage() }));
}

/** Gateway errors in the same shape the functions use: `{"error": code, "message": text}`. */
function addErrorResponses(api: apigateway.RestApi): void {
  const json = (error: string, message: string) => ({ 'application/json': `{"error":"${error}","message":${message}}` });
  const literal = (text: string) => JSON.stringify(text);
  const responses: Array<{ id: string; type: apigateway.ResponseType; statusCode?: string; templates: Record<string, string> }> = [
    { id: 'BadRequestBody', type: apigateway.ResponseType.BAD_REQUEST_BODY, statusCode: '400',
      templates: json('validation_failed', '"$context.error.validationErrorString"') },
    { id: 'BadRequestParameters', type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, statusCode: '400',
      templates: json('validation_failed', '"$context.error.validationErrorString"') },
    { id: 'InvalidApiKey', type: apigateway.ResponseType.INVALID_API_KEY, statusCode: '403',
      templates: json('forbidden', literal('missing or invalid API key: send it in the x-api-key header')) },
    { id: 'MissingRoute', type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404',
      templates: json('not_found', literal('no such route: check the method and path against the API routes in the README')) },
    { id: 'TooLarge', type: apigateway.ResponseType.REQUEST_TOO_LARGE, statusCode: '413',
      templates: json('payload_too_large', literal(PAYLOAD_TOO_LARGE_MESSAGE)) },
    // A proxy integration passes any Content-Type through, so the functions answer 415 themselves;
    // this keeps the shape for the cases API Gateway decides on its own.
    { id: 'UnsupportedMediaType', type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, statusCode: '415',
      templates: json('unsupported_media_type', literal('the request body must be JSON: send it with Content-Type: application/json')) },
    { id: 'Throttled', type: apigateway.ResponseType.THROTTLED, statusCode: '429',
      templates: json('throttled', literal('too many requests: retry with exponential backoff')) },
    // Defaults keep API Gateway's own status code; only the body shape changes.
    { id: 'Default4xx', type: apigateway.ResponseType.DEFAULT_4XX, templates: json('request_rejected', '$context.error.messageString') },
    { id: 'Default5xx', type: apigateway.ResponseType.DEFAULT_5XX, templates: json('internal_error', '$context.error.messageString') },
  ];
  for (const { id, type, statusCode, templates } of responses) {
    api.addGatewayResponse(id, {
      type,
      ...(statusCode ? { statusCode } : {}),
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates,
    });
  }
}
