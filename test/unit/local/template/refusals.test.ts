import { refuseAuthorizer, refuseSchemaFormats, refuseTtlStreamMapping, refuseVisibilityBelowTimeout } from '../../../../local/template/refusals';
import { buildLocalApp, type CfnResource, type StackInput } from '../../../../local/template';

const options = { awsEndpoint: 'http://localhost:4566', apiPort: 3000, cloudAssemblyDir: '/repo/cdk.out' };
const app = (resources: Record<string, CfnResource>): StackInput[] => [{ stackName: 'app', template: { Resources: resources } }];

describe('start-up refusals', () => {
  describe('refuseAuthorizer', () => {
    it.each([
      ['NONE', undefined],
      [undefined, undefined],
    ])('accepts AuthorizationType %s without an authorizer', (type, authorizer) => {
      expect(() => refuseAuthorizer('GET /a', type, authorizer, 'app/M')).not.toThrow();
    });

    it.each(['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'])('refuses AuthorizationType %s, naming the method and the fix', (type) => {
      expect(() => refuseAuthorizer('POST /accounts', type, undefined, 'app/M/Properties/AuthorizationType')).toThrow(
        `app/M/Properties/AuthorizationType: API method POST /accounts uses AuthorizationType ${type}, which the local API cannot enforce`,
      );
    });

    it('refuses a method that names an authorizer', () => {
      expect(() => refuseAuthorizer('GET /a', 'CUSTOM', { Ref: 'Auth' }, 'app/M')).toThrow(/AuthorizationType CUSTOM with an authorizer.*ApiKeyRequired/);
    });
  });

  describe('refuseSchemaFormats', () => {
    it('accepts a schema without format, even with a property named "format"', () => {
      const schema = { type: 'object', properties: { format: { type: 'string', pattern: '^[a-z]+$' } } };
      expect(() => refuseSchemaFormats('POST /events', schema, 'app/M')).not.toThrow();
    });

    it.each([
      [{ format: 'email' }, '#/format'],
      [{ properties: { contact: { type: 'string', format: 'email' } } }, '#/properties/contact/format'],
      [{ properties: { list: { items: { format: 'date-time' } } } }, '#/properties/list/items/format'],
      [{ anyOf: [{ type: 'integer' }, { format: 'uri' }] }, '#/anyOf/1/format'],
      [{ additionalProperties: { format: 'ipv4' } }, '#/additionalProperties/format'],
    ])('refuses %j, showing where the format is', (schema, path) => {
      expect(() => refuseSchemaFormats('POST /events', schema, 'app/M')).toThrow(`the request model of API method POST /events uses "format": `);
      expect(() => refuseSchemaFormats('POST /events', schema, 'app/M')).toThrow(` at ${path}; `);
    });
  });

  describe('refuseVisibilityBelowTimeout', () => {
    const mapping = { queueName: 'orders', functionName: 'worker', functionTimeoutSeconds: 60 };

    it.each([60, 360])('accepts a visibility timeout of %i s for a 60 s function', (visibilityTimeoutSeconds) => {
      expect(() => refuseVisibilityBelowTimeout({ ...mapping, visibilityTimeoutSeconds }, 'app/Esm')).not.toThrow();
    });

    it("refuses a visibility timeout below the function timeout in Lambda's words", () => {
      expect(() => refuseVisibilityBelowTimeout({ ...mapping, visibilityTimeoutSeconds: 30 }, 'app/Esm')).toThrow(
        'app/Esm: Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds (queue orders, function worker)',
      );
    });
  });

  describe('refuseTtlStreamMapping', () => {
    it('accepts a table without TTL', () => {
      expect(() => refuseTtlStreamMapping({ tableName: 'events' }, 'app/Esm')).not.toThrow();
    });

    it('refuses a table with TTL, naming the attribute', () => {
      expect(() => refuseTtlStreamMapping({ tableName: 'windows', timeToLiveAttribute: 'expiresAt' }, 'app/Esm')).toThrow(
        'app/Esm: this mapping reads the stream of table windows, which has TTL on "expiresAt"',
      );
    });
  });

  describe('when loading a template', () => {
    const fn = (timeout: number): CfnResource => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: timeout },
      Metadata: { 'aws:asset:path': 'asset.fn' },
    });

    it('refuses an SQS mapping whose queue hides messages for less than the function runs', () => {
      const resources = {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
        Fn: fn(60),
        Esm: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'Fn' } } },
      };

      expect(() => buildLocalApp(app(resources), options)).toThrow('app/Esm: Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds');
      expect(() => buildLocalApp(app({ ...resources, Fn: fn(30) }), options)).not.toThrow();
    });

    it('refuses a mapping on the stream of a TTL table', () => {
      const resources = {
        Windows: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            StreamSpecification: { StreamViewType: 'OLD_IMAGE' },
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          },
        },
        Fn: fn(30),
        Esm: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { EventSourceArn: { 'Fn::GetAtt': ['Windows', 'StreamArn'] }, FunctionName: { Ref: 'Fn' }, StartingPosition: 'LATEST' },
        },
      };

      expect(() => buildLocalApp(app(resources), options)).toThrow(/app\/Esm: this mapping reads the stream of table app-Windows, which has TTL on "expiresAt"/);
    });

    const api = (method: Record<string, unknown>, validateBody = true): Record<string, CfnResource> => ({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Fn: fn(10),
      Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: { Ref: 'Api' }, ValidateRequestBody: validateBody } },
      Model: {
        Type: 'AWS::ApiGateway::Model',
        Properties: { RestApiId: { Ref: 'Api' }, Schema: { type: 'object', properties: { email: { type: 'string', format: 'email' } } } },
      },
      Post: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          HttpMethod: 'POST',
          Integration: {
            Type: 'AWS_PROXY',
            Uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:app-Fn/invocations',
          },
          ...method,
        },
      },
    });

    it('refuses an IAM-protected method and accepts an API-key one', () => {
      expect(() => buildLocalApp(app(api({ AuthorizationType: 'AWS_IAM' }, false)), options)).toThrow(
        /app\/Post\/Properties\/AuthorizationType: API method POST \/ uses AuthorizationType AWS_IAM/,
      );
      expect(buildLocalApp(app(api({ AuthorizationType: 'NONE', ApiKeyRequired: true }, false)), options).api?.routes).toHaveLength(1);
    });

    it('refuses a validated model with a format, and ignores it where the body is not validated', () => {
      const withModel = { RequestValidatorId: { Ref: 'Validator' }, RequestModels: { 'application/json': { Ref: 'Model' } } };

      expect(() => buildLocalApp(app(api(withModel)), options)).toThrow(
        /the request model of API method POST \/ uses "format": "email" at #\/properties\/email\/format/,
      );
      expect(() => buildLocalApp(app(api(withModel, false)), options)).not.toThrow();
    });
  });
});
