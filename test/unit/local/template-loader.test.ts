import { SLUICE_LOAD_CONVENTIONS } from '../../../local/app-conventions';
import { buildLocalApp, PENDING_STREAM_SUFFIX, withStreamArns, type StackInput } from '../../../local/template';

const options = { awsEndpoint: 'http://localhost:4566', apiPort: 3000, cloudAssemblyDir: '/repo/cdk.out' };
const tags = [{ Key: 'project', Value: 'sluice' }];

const stateful: StackInput = {
  stackName: 'sluice-test-stateful',
  template: {
    Resources: {
      Events: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [
            { AttributeName: 'streamId', KeyType: 'HASH' },
            { AttributeName: 'version', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'streamId', AttributeType: 'S' },
            { AttributeName: 'version', AttributeType: 'N' },
          ],
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byType',
              KeySchema: [{ AttributeName: 'streamId', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
          Tags: tags,
        },
      },
      Windows: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'explicit-windows',
          KeySchema: [{ AttributeName: 'cardId', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'cardId', AttributeType: 'S' }],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      },
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RetentionPeriodHours: 48 } },
      Provisioned: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } },
      Dlq: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
      Queue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          FifoQueue: true,
          ContentBasedDeduplication: true,
          VisibilityTimeout: 60,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 5 },
        },
      },
      Failures: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
    Outputs: {
      StreamName: { Value: { Ref: 'Stream' } },
      QueueUrl: { Value: { Ref: 'Queue' } },
      ExportStreamArn: { Value: { 'Fn::GetAtt': ['Stream', 'Arn'] }, Export: { Name: 'sluice-test-stateful:StreamArn' } },
      ExportStreamName: { Value: { Ref: 'Stream' }, Export: { Name: 'sluice-test-stateful:StreamName' } },
      ExportTableStream: { Value: { 'Fn::GetAtt': ['Events', 'StreamArn'] }, Export: { Name: 'sluice-test-stateful:EventsStream' } },
      ExportQueueArn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Export: { Name: 'sluice-test-stateful:QueueArn' } },
      ExportFailuresArn: { Value: { 'Fn::GetAtt': ['Failures', 'Arn'] }, Export: { Name: 'sluice-test-stateful:FailuresArn' } },
    },
  },
};

const stateless: StackInput = {
  stackName: 'sluice-test-stateless',
  template: {
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Handler: 'index.handler',
          Runtime: 'nodejs22.x',
          Timeout: 30,
          MemorySize: 256,
          Code: { S3Bucket: { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: 'x.zip' },
          Environment: {
            Variables: {
              POWERTOOLS_SERVICE_NAME: 'sluice-projector',
              EVENTS_STREAM_NAME: { 'Fn::ImportValue': 'sluice-test-stateful:StreamName' },
              TABLE_STREAM: { 'Fn::ImportValue': 'sluice-test-stateful:EventsStream' },
              REGION_URL: { 'Fn::Sub': 'https://${AWS::Region}.${AWS::URLSuffix}' },
            },
          },
        },
        Metadata: { 'aws:asset:path': 'asset.abc', 'aws:asset:is-bundled': true },
      },
      Inline: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Code: { ZipFile: 'x' } } },
      KinesisMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Fn' },
          EventSourceArn: { 'Fn::ImportValue': 'sluice-test-stateful:StreamArn' },
          StartingPosition: 'TRIM_HORIZON',
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: { 'Fn::ImportValue': 'sluice-test-stateful:FailuresArn' } } },
        },
      },
      TableMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Fn' },
          EventSourceArn: { 'Fn::ImportValue': 'sluice-test-stateful:EventsStream' },
          StartingPosition: 'LATEST',
          BatchSize: 25,
          MaximumRetryAttempts: 3,
          BisectBatchOnFunctionError: true,
        },
      },
      QueueMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Fn' },
          EventSourceArn: { 'Fn::ImportValue': 'sluice-test-stateful:QueueArn' },
          ScalingConfig: { MaximumConcurrency: 2 },
        },
      },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'Api' } },
      Accounts: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'accounts', RestApiId: { Ref: 'Api' } },
      },
      AccountId: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { ParentId: { Ref: 'Accounts' }, PathPart: '{id}', RestApiId: { Ref: 'Api' } },
      },
      Deposits: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { ParentId: { Ref: 'AccountId' }, PathPart: 'deposits', RestApiId: { Ref: 'Api' } },
      },
      Validator: {
        Type: 'AWS::ApiGateway::RequestValidator',
        Properties: { RestApiId: { Ref: 'Api' }, ValidateRequestBody: true, ValidateRequestParameters: false },
      },
      Amount: {
        Type: 'AWS::ApiGateway::Model',
        Properties: { RestApiId: { Ref: 'Api' }, ContentType: 'application/json', Schema: { type: 'object', required: ['amount'] } },
      },
      DepositPost: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: 'Deposits' },
          HttpMethod: 'POST',
          ApiKeyRequired: true,
          RequestValidatorId: { Ref: 'Validator' },
          RequestModels: { 'application/json': { Ref: 'Amount' } },
          RequestParameters: { 'method.request.path.id': true },
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: {
              'Fn::Join': ['', ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']],
            },
          },
        },
      },
      Options: {
        Type: 'AWS::ApiGateway::Method',
        Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Accounts' }, HttpMethod: 'OPTIONS', Integration: { Type: 'MOCK' } },
      },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'test' } },
      Missing: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
          StatusCode: '404',
          ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'" },
          ResponseTemplates: { 'application/json': '{"error":"not_found"}' },
        },
      },
      Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { Throttle: { RateLimit: 100, BurstLimit: 200 } } },
    },
    Outputs: {
      ApiUrl: {
        Value: {
          'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Stage' }, '/']],
        },
      },
    },
  },
};

describe('buildLocalApp', () => {
  const app = buildLocalApp([stateful, stateless], options);

  describe('tables', () => {
    it('names tables <stackName>-<logicalId> unless the template names them', () => {
      expect(app.tables.map((t) => t.tableName)).toEqual(['sluice-test-stateful-Events', 'explicit-windows']);
    });

    it('keeps keys, the stream view and TTL, and drops provisioned throughput from GSIs', () => {
      const [events, windows] = app.tables;
      expect(events.keySchema).toEqual([
        { AttributeName: 'streamId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ]);
      expect(events.streamViewType).toBe('NEW_IMAGE');
      expect(events.globalSecondaryIndexes).toEqual([
        { IndexName: 'byType', KeySchema: [{ AttributeName: 'streamId', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ]);
      expect(windows.timeToLiveAttribute).toBe('expiresAt');
      expect(windows.arn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/explicit-windows');
    });
  });

  it('gives on-demand streams 4 shards and provisioned ones their ShardCount', () => {
    expect(app.streams.map((s) => [s.streamName, s.shardCount, s.retentionHours])).toEqual([
      ['sluice-test-stateful-Stream', 4, 48],
      ['sluice-test-stateful-Provisioned', 2, 24],
    ]);
  });

  it('suffixes FIFO queue names with .fifo and resolves the redrive target', () => {
    const queue = app.queues.find((q) => q.logicalId === 'Queue')!;
    expect(queue).toMatchObject({
      queueName: 'sluice-test-stateful-Queue.fifo',
      url: 'http://localhost:4566/000000000000/sluice-test-stateful-Queue.fifo',
      fifo: true,
      contentBasedDeduplication: true,
      visibilityTimeoutSeconds: 60,
      messageRetentionSeconds: 345600,
      redrive: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:sluice-test-stateful-Dlq.fifo', maxReceiveCount: 5 },
    });
  });

  it('resolves function environment variables across stacks and points at the bundled asset', () => {
    const [fn] = app.functions;
    expect(fn).toMatchObject({
      functionName: 'sluice-test-stateless-Fn',
      displayName: 'Fn',
      assetDir: '/repo/cdk.out/asset.abc',
      handler: 'index.handler',
      timeoutSeconds: 30,
      memorySize: 256,
    });
    expect(fn.environment).toMatchObject({
      EVENTS_STREAM_NAME: 'sluice-test-stateful-Stream',
      REGION_URL: 'https://us-east-1.amazonaws.com',
    });
  });

  it('skips functions without a bundled asset, and MOCK integrations, saying why', () => {
    expect(app.skipped).toEqual([
      expect.objectContaining({ logicalId: 'Inline', reason: expect.stringMatching(/aws:asset:path/) }),
      expect.objectContaining({ logicalId: 'Options', reason: expect.stringMatching(/MOCK/) }),
    ]);
  });

  describe('mappings', () => {
    it('fills AWS defaults for a Kinesis mapping and resolves its on-failure queue', () => {
      expect(app.mappings.find((m) => m.logicalId === 'KinesisMapping')).toEqual({
        kind: 'kinesis',
        logicalId: 'KinesisMapping',
        functionName: 'sluice-test-stateless-Fn',
        sourceName: 'sluice-test-stateful-Stream',
        sourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/sluice-test-stateful-Stream',
        batchSize: 100,
        maxBatchingWindowSeconds: 0,
        startingPosition: 'TRIM_HORIZON',
        maximumRetryAttempts: -1,
        maximumRecordAgeSeconds: -1,
        bisectBatchOnFunctionError: false,
        parallelizationFactor: 1,
        reportBatchItemFailures: true,
        onFailureArn: 'arn:aws:sqs:us-east-1:000000000000:sluice-test-stateful-Failures',
        onFailureQueueUrl: 'http://localhost:4566/000000000000/sluice-test-stateful-Failures',
        filterPatterns: [],
      });
    });

    it('maps a table stream ARN back to its table', () => {
      expect(app.mappings.find((m) => m.logicalId === 'TableMapping')).toMatchObject({
        kind: 'dynamodb',
        sourceName: 'sluice-test-stateful-Events',
        batchSize: 25,
        maximumRetryAttempts: 3,
        bisectBatchOnFunctionError: true,
        startingPosition: 'LATEST',
      });
    });

    it('builds an SQS mapping with batch size 10 by default', () => {
      expect(app.mappings.find((m) => m.logicalId === 'QueueMapping')).toMatchObject({
        kind: 'sqs',
        queueUrl: 'http://localhost:4566/000000000000/sluice-test-stateful-Queue.fifo',
        fifo: true,
        batchSize: 10,
        maximumConcurrency: 2,
        reportBatchItemFailures: false,
      });
    });
  });

  describe('api', () => {
    it('builds full resource paths and the method settings', () => {
      expect(app.api?.routes).toEqual([
        {
          method: 'POST',
          resourcePath: '/accounts/{id}/deposits',
          functionName: 'sluice-test-stateless-Fn',
          apiKeyRequired: true,
          validateBody: true,
          validateParameters: false,
          bodySchema: { type: 'object', required: ['amount'] },
          requestParameters: { 'method.request.path.id': true },
        },
      ]);
    });

    it('reads the stage, gateway responses and usage plan throttle', () => {
      expect(app.api).toMatchObject({
        stageName: 'test',
        gatewayResponses: [{ type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', headers: { 'Content-Type': 'application/json' } }],
        throttle: { rateLimit: 100, burstLimit: 200 },
      });
    });
  });

  it('resolves outputs per stack and points the API URL at the local API', () => {
    expect(app.outputs['sluice-test-stateful']).toMatchObject({
      StreamName: 'sluice-test-stateful-Stream',
      QueueUrl: 'http://localhost:4566/000000000000/sluice-test-stateful-Queue.fifo',
    });
    expect(app.outputs['sluice-test-stateless']).toEqual({ ApiUrl: 'http://localhost:3000/' });
  });

  it('fails with the location of an unsupported intrinsic in a function environment', () => {
    const bad: StackInput = {
      stackName: 'bad',
      template: {
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Runtime: 'nodejs22.x', Environment: { Variables: { X: { 'Fn::FindInMap': ['M', 'a', 'b'] } } } },
            Metadata: { 'aws:asset:path': 'asset.x' },
          },
        },
      },
    };
    expect(() => buildLocalApp([bad], options)).toThrow('bad/Fn/Properties/Environment/Variables/X.Fn::FindInMap: the local cloud does not support Fn::FindInMap');
  });

  it('fails on an import no stack exports', () => {
    const bad: StackInput = {
      stackName: 'bad',
      template: { Outputs: { X: { Value: { 'Fn::ImportValue': 'nobody:exports-this' } } } },
    };
    expect(() => buildLocalApp([bad], options)).toThrow(/no stack of this app exports that name/);
  });
});

describe('function display names', () => {
  it("are the logical id unless the caller injects its app's naming: the loader knows no app", () => {
    const app = buildLocalApp([stateful, stateless], {
      ...options,
      displayName: ({ logicalId, environment }) => `${environment.POWERTOOLS_SERVICE_NAME}/${logicalId}`,
    });
    expect(app.functions.map((f) => f.displayName)).toEqual(['sluice-projector/Fn']);
  });

  it("follow sluice's convention when local/app-conventions.ts is injected (the Powertools service name without sluice-)", () => {
    const app = buildLocalApp([stateful, stateless], { ...options, ...SLUICE_LOAD_CONVENTIONS });
    expect(app.functions.map((f) => f.displayName)).toEqual(['projector']);
  });
});

describe('withStreamArns', () => {
  it('swaps the pending stream ARN for the provisioned one in environments and mappings', () => {
    const app = buildLocalApp([stateful, stateless], options);
    const pending = `${app.tables[0].arn}${PENDING_STREAM_SUFFIX}`;
    expect(app.functions[0].environment.TABLE_STREAM).toBe(pending);
    const real = 'arn:aws:dynamodb:ddblocal:000000000000:table/sluice-test-stateful-Events/stream/2026-01-01T00:00:00.000';
    const provisioned = withStreamArns({ ...app, tables: app.tables.map((t, i) => (i === 0 ? { ...t, streamArn: real } : t)) });
    expect(provisioned.functions[0].environment.TABLE_STREAM).toBe(real);
    expect(provisioned.mappings.find((m) => m.logicalId === 'TableMapping')).toMatchObject({ sourceArn: real });
  });
});

describe('function runtime settings', () => {
  const withFunction = (properties: Record<string, unknown>): StackInput => ({
    stackName: 'rt',
    template: {
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', ...properties }, Metadata: { 'aws:asset:path': 'asset.x' } },
      },
    },
  });

  it('reads the architecture, LoggingConfig (the log group by its physical name) and TracingConfig', () => {
    const app = buildLocalApp(
      [
        withFunction({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: 'Logs' }, ApplicationLogLevel: 'WARN' },
        }),
      ],
      options,
    );
    expect(app.functions[0]).toMatchObject({
      runtime: 'nodejs24.x',
      architecture: 'arm64',
      logFormat: 'JSON',
      logGroup: 'rt-Logs',
      applicationLogLevel: 'WARN',
      tracingMode: 'Active',
    });
  });

  it("leaves Lambda's defaults (x86_64, Text, /aws/lambda/<name>) to the runner when the template sets nothing", () => {
    const [fn] = buildLocalApp([withFunction({ Runtime: 'nodejs24.x' })], options).functions;
    for (const key of ['architecture', 'logFormat', 'logGroup', 'applicationLogLevel', 'tracingMode']) expect(fn).not.toHaveProperty(key);
  });

  it('passes a function of any runtime on, so the Lambda runner can refuse it by name at start-up', () => {
    const app = buildLocalApp([withFunction({ Runtime: 'python3.12' })], options);
    expect(app.functions.map((f) => f.runtime)).toEqual(['python3.12']);
    expect(app.skipped ?? []).toEqual([]);
  });
});
