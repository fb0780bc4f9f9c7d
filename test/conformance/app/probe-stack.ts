import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OBSERVATIONS_TABLE_ENV } from './functions/probe-spec';
import { API_STAGE, API_THROTTLE, OUTPUT, QUEUE_SCENARIOS, RUNTIME_PROBE, STREAM_SCENARIOS, type QueueScenario, type StreamScenario } from './scenarios';

const FUNCTIONS_DIR = path.join(__dirname, 'functions');

/**
 * The conformance suite's probe app: one source, mapping and probe function per scenario in
 * `scenarios.ts`, directly invoked runtime probes, and a REST API (API key, usage plan, request
 * validators, gateway responses) in front of an echo function. Everything it creates is removed
 * with the stack (`cdk destroy`): it holds only the suite's own test data.
 */
export class ProbeStack extends Stack {
  private readonly observations: dynamodb.Table;

  public constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.observations = new dynamodb.Table(this, 'Observations', {
      partitionKey: { name: 'run', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.output(OUTPUT.observationsTable, this.observations.tableName);

    const streams = new Construct(this, 'Streams');
    for (const [name, scenario] of Object.entries(STREAM_SCENARIOS)) this.addStreamScenario(streams, name as keyof typeof STREAM_SCENARIOS, scenario);
    const queues = new Construct(this, 'Queues');
    for (const [name, scenario] of Object.entries(QUEUE_SCENARIOS)) this.addQueueScenario(queues, name as keyof typeof QUEUE_SCENARIOS, scenario);

    const runtime = this.probeFunction(this, 'RuntimeProbe', 'runtime-probe.ts', { timeout: Duration.seconds(RUNTIME_PROBE.timeoutSeconds) });
    this.output(OUTPUT.runtimeFunction, runtime.functionName);
    const callback = this.probeFunction(this, 'CallbackProbe', 'callback-probe.ts', { timeout: Duration.seconds(RUNTIME_PROBE.timeoutSeconds) });
    this.output(OUTPUT.callbackFunction, callback.functionName);

    this.addApi();
  }

  private output(name: string, value: string): void {
    new CfnOutput(this, name, { value });
  }

  /** A probe function: nodejs24.x, bundled locally by esbuild, JSON logs, allowed to write observations. */
  private probeFunction(scope: Construct, id: string, entry: string, options: { timeout: Duration; reservedConcurrentExecutions?: number }): nodejs.NodejsFunction {
    const fn = new nodejs.NodejsFunction(scope, id, {
      entry: path.join(FUNCTIONS_DIR, entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      memorySize: RUNTIME_PROBE.memorySize,
      timeout: options.timeout,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(options.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: options.reservedConcurrentExecutions } : {}),
      environment: { [OBSERVATIONS_TABLE_ENV]: this.observations.tableName },
      bundling: { externalModules: ['@aws-sdk/*'], forceDockerBundling: false, sourceMap: false },
    });
    this.observations.grantReadWriteData(fn);
    return fn;
  }

  private addStreamScenario(parent: Construct, name: keyof typeof STREAM_SCENARIOS, scenario: StreamScenario): void {
    const scope = new Construct(parent, name);
    const failures = new sqs.Queue(scope, 'OnFailure', { retentionPeriod: Duration.hours(1), removalPolicy: RemovalPolicy.DESTROY });
    const fn = this.probeFunction(scope, 'Probe', 'batch-probe.ts', {
      timeout: Duration.seconds(10),
      ...(scenario.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: scenario.reservedConcurrency } : {}),
    });
    const common = {
      // A table's stream may have no shard until its first write (DynamoDB Local creates it then):
      // TRIM_HORIZON reads that shard from its start. The probe stack holds only test data.
      startingPosition: scenario.source === 'kinesis' ? lambda.StartingPosition.LATEST : lambda.StartingPosition.TRIM_HORIZON,
      batchSize: scenario.batchSize,
      maxBatchingWindow: Duration.seconds(scenario.batchingWindowSeconds),
      reportBatchItemFailures: scenario.reportBatchItemFailures,
      bisectBatchOnError: scenario.bisect,
      retryAttempts: scenario.retryAttempts,
      ...(scenario.maxRecordAgeSeconds > 0 ? { maxRecordAge: Duration.seconds(scenario.maxRecordAgeSeconds) } : {}),
      onFailure: new sources.SqsDlq(failures),
    };
    let sourceName: string;
    if (scenario.source === 'kinesis') {
      const stream = new kinesis.Stream(scope, 'Stream', { shardCount: 1, retentionPeriod: Duration.hours(24), removalPolicy: RemovalPolicy.DESTROY });
      fn.addEventSource(new sources.KinesisEventSource(stream, common));
      sourceName = stream.streamName;
    } else {
      const table = new dynamodb.Table(scope, 'Table', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      fn.addEventSource(new sources.DynamoEventSource(table, common));
      sourceName = table.tableName;
    }
    this.output(OUTPUT.source(name), sourceName);
    this.output(OUTPUT.failureQueue(name), failures.queueUrl);
    this.output(OUTPUT.functionName(name), fn.functionName);
  }

  private addQueueScenario(parent: Construct, name: keyof typeof QUEUE_SCENARIOS, scenario: QueueScenario): void {
    const scope = new Construct(parent, name);
    const fifo = scenario.fifo ? { fifo: true, contentBasedDeduplication: true } : {};
    const dlq = new sqs.Queue(scope, 'DeadLetters', { ...fifo, retentionPeriod: Duration.hours(1), removalPolicy: RemovalPolicy.DESTROY });
    const queue = new sqs.Queue(scope, 'Queue', {
      ...fifo,
      visibilityTimeout: Duration.seconds(scenario.visibilityTimeoutSeconds),
      retentionPeriod: Duration.hours(1),
      deadLetterQueue: { queue: dlq, maxReceiveCount: scenario.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = this.probeFunction(scope, 'Probe', 'batch-probe.ts', { timeout: Duration.seconds(scenario.functionTimeoutSeconds) });
    fn.addEventSource(
      new sources.SqsEventSource(queue, { batchSize: scenario.batchSize, reportBatchItemFailures: true, maxConcurrency: scenario.maximumConcurrency }),
    );
    this.output(OUTPUT.queue(name), queue.queueUrl);
    this.output(OUTPUT.deadLetterQueue(name), dlq.queueUrl);
    this.output(OUTPUT.functionName(name), fn.functionName);
  }

  /** REST API: API key + usage plan, a body model and required parameters, gateway responses, proxy routes. */
  private addApi(): void {
    const scope = new Construct(this, 'Api');
    const echo = this.probeFunction(scope, 'Echo', 'echo.ts', { timeout: Duration.seconds(RUNTIME_PROBE.timeoutSeconds) });
    const api = new apigateway.RestApi(scope, 'RestApi', {
      cloudWatchRole: false,
      deployOptions: { stageName: API_STAGE },
      defaultMethodOptions: { apiKeyRequired: true },
      endpointTypes: [apigateway.EndpointType.REGIONAL],
    });
    const integration = new apigateway.LambdaIntegration(echo);
    const bodyValidator = api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: false });
    const paramsValidator = api.addRequestValidator('ParamsValidator', { validateRequestBody: false, validateRequestParameters: true });
    const model = api.addModel('ProbeBody', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['name', 'count'],
        additionalProperties: false,
        properties: {
          name: { type: apigateway.JsonSchemaType.STRING, minLength: 1 },
          count: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1 },
        },
      },
    });

    const echoResource = api.root.addResource('echo');
    echoResource.addMethod('ANY', integration);
    echoResource.addResource('{id}').addMethod('GET', integration);
    api.root.addResource('validated').addMethod('POST', integration, { requestValidator: bodyValidator, requestModels: { 'application/json': model } });
    api.root.addResource('params').addMethod('GET', integration, {
      requestValidator: paramsValidator,
      requestParameters: { 'method.request.querystring.q': true, 'method.request.header.x-probe-required': true },
    });
    api.root.addResource('proxy').addResource('{proxy+}').addMethod('ANY', integration);
    api.root.addResource('open').addMethod('GET', integration, { apiKeyRequired: false });

    const json = (template: string) => ({ 'application/json': template });
    api.addGatewayResponse('InvalidApiKey', {
      type: apigateway.ResponseType.INVALID_API_KEY,
      responseHeaders: { 'x-probe-gateway': "'invalid-api-key'" },
      templates: json('{"error":"forbidden","type":"$context.error.responseType"}'),
    });
    api.addGatewayResponse('BadBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '422',
      templates: json('{"error":"bad_body","message":"$context.error.validationErrorString"}'),
    });
    api.addGatewayResponse('BadParameters', {
      type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS,
      templates: json('{"error":"bad_parameters","message":"$context.error.validationErrorString"}'),
    });
    api.addGatewayResponse('MissingRoute', {
      type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: json('{"error":"not_found","type":"$context.error.responseType"}'),
    });
    api.addGatewayResponse('Default4xx', {
      type: apigateway.ResponseType.DEFAULT_4XX,
      responseHeaders: { 'x-probe-gateway': "'default-4xx'" },
      templates: json('{"error":"default_4xx","type":"$context.error.responseType","message":$context.error.messageString}'),
    });
    api.addGatewayResponse('Default5xx', {
      type: apigateway.ResponseType.DEFAULT_5XX,
      templates: json('{"error":"default_5xx","type":"$context.error.responseType","message":$context.error.messageString}'),
    });

    const key = api.addApiKey('ApiKey');
    const plan = api.addUsagePlan('UsagePlan', { throttle: { ...API_THROTTLE } });
    plan.addApiKey(key);
    plan.addApiStage({ stage: api.deploymentStage });
    this.output(OUTPUT.apiUrl, api.url);
    this.output(OUTPUT.apiKeyId, key.keyId);
  }
}
