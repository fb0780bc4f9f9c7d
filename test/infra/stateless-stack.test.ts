import { FREE_TEXT_PATTERN } from '../../lambdas/shared/input-rules';
import { Match } from 'aws-cdk-lib/assertions';
import { CONSUMERS } from '../../lib/consumers/registry';
import { asArray, policyStatements, synthTemplates } from './sluice-app.fixture';

/** The API's functions, then one per registry entry (each consumer's own resources: consumer-registry.test.ts). */
const FUNCTION_NAMES = ['command', 'ingest', 'query', ...CONSUMERS.map((consumer) => consumer.name)].sort();
const consumersOf = (kind: string) => CONSUMERS.filter((consumer) => consumer.source.kind === kind);

describe('StatelessStack', () => {
  const { stateful, stateless } = synthTemplates();
  const functions = Object.values(stateless.findResources('AWS::Lambda::Function'));
  const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping'));
  const isStreamMapping = (m: { [key: string]: any }) => m.Properties.StartingPosition !== undefined;

  describe('functions', () => {
    it('defines the API functions and one per consumer in the registry', () => {
      const services = functions.map((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort();
      expect(services).toEqual(FUNCTION_NAMES.map((name) => `sluice-${name}`));
    });

    it('runs every function on Node.js 24, arm64, with JSON logs, a log retention and no run-time source maps', () => {
      for (const fn of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: { LogFormat: 'JSON' },
          Environment: { Variables: { POWERTOOLS_METRICS_NAMESPACE: 'sluice', SLUICE_STAGE: 'dev' } },
        });
        // --enable-source-maps parses each bundle's map at load: a quarter of module init (docs/benchmarks.md).
        expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      }
      const groups = Object.values(stateless.findResources('AWS::Logs::LogGroup'));
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(7);
    });

    it('gives API functions a timeout that fits API Gateway and consumers 30 s or less', () => {
      for (const fn of functions) expect(fn.Properties.Timeout).toBeLessThanOrEqual(30);
    });

    it.each([
      ['sluice-ingest', ['EVENTS_STREAM_NAME', 'EVENT_TIME_PAST_DAYS', 'EVENT_TIME_FUTURE_MINUTES']],
      ['sluice-command', ['EVENT_STORE_TABLE_NAME', 'SNAPSHOT_TABLE_NAME', 'SNAPSHOT_EVERY']],
      ['sluice-query', ['BALANCES_TABLE_NAME', 'TRANSACTIONS_TABLE_NAME', 'CURSOR_KEY_SECRET_ARN']],
      // Each consumer's variables are its contract's: consumer-registry.test.ts.
    ])('hands %s the environment it reads', (service, names) => {
      const fn = functions.find((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service);
      expect(Object.keys(fn!.Properties.Environment.Variables)).toEqual(expect.arrayContaining(names));
    });
  });

  describe('stream event source mappings', () => {
    const streamMappings = mappings.filter(isStreamMapping);

    it('maps each events stream consumer and each event store stream consumer of the registry', () => {
      expect(streamMappings).toHaveLength(consumersOf('events-stream').length + consumersOf('event-store-stream').length);
      const sources = streamMappings.map((m) => JSON.stringify(m.Properties.EventSourceArn));
      expect(sources.filter((s) => s.includes('EventsStream'))).toHaveLength(consumersOf('events-stream').length);
      expect(sources.filter((s) => s.includes('EventStoreEvents') && s.includes('StreamArn'))).toHaveLength(consumersOf('event-store-stream').length);
    });

    it('reports partial failures, bisects, retries a bounded number of times and sends failures to an SQS DLQ', () => {
      for (const mapping of streamMappings) {
        expect(mapping.Properties).toMatchObject({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BisectBatchOnFunctionError: true,
          StartingPosition: 'TRIM_HORIZON',
          DestinationConfig: { OnFailure: { Destination: expect.anything() } },
        });
        expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
        expect(mapping.Properties.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(3600);
        // The outbox relay retries until the record's maximum age (24 h); it dead-letters whole records itself before that.
        const isRelay = JSON.stringify(mapping.Properties.EventSourceArn).includes('EventStoreEvents');
        // The relay takes a full PutRecords call (500 records) per batch; the consumers the default 100.
        expect(mapping.Properties.BatchSize).toBe(isRelay ? 500 : 100);
        if (isRelay) expect(mapping.Properties).toMatchObject({ MaximumRetryAttempts: 10_000, MaximumRecordAgeInSeconds: 86_400 });
        else expect(mapping.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
      }
    });

    it('points each stream consumer DLQ_URL at its own on-failure queue, for the poison records it sends there itself', () => {
      const all = stateless.findResources('AWS::Lambda::Function');
      for (const mapping of streamMappings) {
        const fn = all[mapping.Properties.FunctionName.Ref];
        // The URL and the destination ARN are two exports of the same stateful queue (ConsumerFailures…Queue<hash>).
        const queueOf = (value: unknown) => /ConsumerFailures(\w+?Queue[0-9A-F]{8})/.exec(JSON.stringify(value))?.[1];
        expect(queueOf(fn.Properties.Environment.Variables.DLQ_URL)).toBeDefined();
        expect(queueOf(fn.Properties.Environment.Variables.DLQ_URL)).toBe(queueOf(mapping.Properties.DestinationConfig.OnFailure.Destination));
      }
    });

    it("lets each queue consumer send to its queue's DLQ, where it moves invalid messages", () => {
      const all = stateless.findResources('AWS::Lambda::Function');
      const dlqOf = (service: string) =>
        JSON.stringify(
          Object.values(all).find((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service)!.Properties.Environment.Variables.DLQ_URL,
        );
      expect(dlqOf('sluice-notification-worker')).toContain('NotificationsDlq');
      expect(dlqOf('sluice-replica')).toContain('StateTransferDlq');
      const senders = policyStatements(stateless)
        .filter((s) => asArray(s.Action).includes('sqs:SendMessage'))
        .map((s) => JSON.stringify(s.Resource));
      expect(senders.some((r) => r.includes('NotificationsDlq'))).toBe(true);
      expect(senders.some((r) => r.includes('StateTransferDlq'))).toBe(true);
    });

    it('gives each consumer its own DLQ', () => {
      const destinations = streamMappings.map((m) => JSON.stringify(m.Properties.DestinationConfig.OnFailure.Destination));
      expect(new Set(destinations).size).toBe(streamMappings.length);
    });
  });

  describe('queue event source mappings', () => {
    it('consume the notifications and state-transfer queues with partial batch responses and bounded concurrency', () => {
      const queueMappings = mappings.filter((m) => !isStreamMapping(m));
      expect(queueMappings).toHaveLength(consumersOf('queue').length);
      for (const mapping of queueMappings) {
        expect(mapping.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
        expect(mapping.Properties.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
      }
    });
  });

  describe('API', () => {
    it.each([
      ['POST', 'events'],
      ['POST', 'accounts'],
      ['GET', '{id}'],
      ['POST', 'deposits'],
      ['POST', 'withdrawals'],
      ['GET', 'transactions'],
    ])('requires an API key on %s …/%s', (method, pathPart) => {
      const resources = stateless.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } });
      const [resourceId] = Object.keys(resources);
      stateless.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        ApiKeyRequired: true,
        ResourceId: { Ref: resourceId },
        Integration: { Type: 'AWS_PROXY' },
      });
    });

    it('validates every POST body against a model', () => {
      const posts = Object.values(stateless.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } }));
      expect(posts).toHaveLength(4);
      for (const post of posts) {
        expect(post.Properties.RequestValidatorId).toBeDefined();
        expect(post.Properties.RequestModels['application/json']).toBeDefined();
      }
      stateless.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
      stateless.hasResourceProperties('AWS::ApiGateway::Model', {
        Name: Match.absent(),
        Schema: Match.objectLike({
          title: 'AmountCommand',
          required: ['amount'],
          additionalProperties: false,
          properties: { amount: Match.objectLike({ type: 'integer', minimum: 0, exclusiveMinimum: true }), expectedVersion: Match.anyValue() },
        }),
      });
      stateless.hasResourceProperties('AWS::ApiGateway::Model', {
        Schema: Match.objectLike({
          title: 'DepositCommand',
          properties: Match.objectLike({ reference: Match.objectLike({ type: 'string', minLength: 1, maxLength: 140 }) }),
        }),
      });
      // Generated from the functions' zod schemas: the free-text rule and strictness reach the edge.
      stateless.hasResourceProperties('AWS::ApiGateway::Model', {
        Schema: Match.objectLike({
          title: 'OpenAccount',
          additionalProperties: false,
          properties: Match.objectLike({ owner: Match.objectLike({ pattern: FREE_TEXT_PATTERN.source }) }),
        }),
      });
    });

    it('returns validator messages in the contract error shape', () => {
      stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'BAD_REQUEST_BODY',
        StatusCode: '400',
        ResponseTemplates: { 'application/json': '{"error":"validation_failed","message":"$context.error.validationErrorString"}' },
      });
      for (const response of Object.values(stateless.findResources('AWS::ApiGateway::GatewayResponse'))) {
        const body = response.Properties.ResponseTemplates['application/json'];
        expect(body).toMatch(/^\{"error":"[a-z_]+","message":/);
      }
    });

    it('throttles through a usage plan bound to the API key', () => {
      stateless.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 100, BurstLimit: 200 } });
      stateless.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      stateless.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    });

    it('writes access logs', () => {
      stateless.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev', AccessLogSetting: { DestinationArn: Match.anyValue() } });
    });

    it('outputs its URL and key id', () => {
      expect(Object.keys(stateless.toJSON().Outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'ApiKeyId']));
    });
  });

  describe('alarms', () => {
    // Every alarm, its action and the metrics it watches: test/infra/observability.test.ts.
    it('has a dashboard', () => {
      stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('IAM', () => {
    const statements = [...policyStatements(stateless), ...policyStatements(stateful)];

    it('grants no wildcard actions', () => {
      expect(statements.length).toBeGreaterThan(20);
      const wildcards = statements.flatMap((s) => asArray(s.Action)).filter((action) => action.includes('*'));
      expect(wildcards).toEqual([]);
    });

    it('never lets a function update or delete stored events', () => {
      const onEventStore = statements.filter((s) => {
        const resources = JSON.stringify(s.Resource);
        return resources.includes('EventStoreEvents') && !resources.includes('StreamArn');
      });
      expect(onEventStore.length).toBeGreaterThanOrEqual(4);
      const actions = onEventStore.flatMap((s) => asArray(s.Action));
      expect(actions).toContain('dynamodb:PutItem');
      for (const forbidden of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('lets only the command function append to the event store', () => {
      const appenders = Object.entries(stateless.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
        policy.Properties.PolicyDocument.Statement.some(
          (s: { Action: string | string[]; Resource: unknown }) =>
            asArray(s.Action).includes('dynamodb:PutItem') && JSON.stringify(s.Resource).includes('EventStoreEvents'),
        ),
      );
      expect(appenders.map(([id]) => id)).toEqual([expect.stringMatching(/^CommandFunction/)]);
    });

    it('lets every consumer that checks a batch against the store read the store by key in batches', () => {
      // The notifier and state transfer read a batch's stored counterparts with BatchGetItem (and a Query per run of versions).
      const batchReaders = Object.entries(stateless.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
        policy.Properties.PolicyDocument.Statement.some(
          (s: { Action: string | string[]; Resource: unknown }) =>
            asArray(s.Action).includes('dynamodb:BatchGetItem') && JSON.stringify(s.Resource).includes('EventStoreEvents'),
        ),
      );
      expect(batchReaders.map(([id]) => id).sort()).toEqual([
        expect.stringMatching(/^NotifierFunction/),
        expect.stringMatching(/^ProjectorFunction/),
        expect.stringMatching(/^StateTransferFunction/),
      ]);
    });
  });
});
