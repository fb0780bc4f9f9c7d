import { CURSOR_KEY_ENV } from '../../lambdas/query/cursor-key-env';
import { asArray, policyStatements, synthTemplates } from './sluice-app.fixture';

/** The query function's resource in a stateless template. */
function queryFunction(template: ReturnType<typeof synthTemplates>['stateless']) {
  const [query] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sluice-query' } } },
    }),
  );
  return query;
}

describe('cursor signing key', () => {
  const { stateless } = synthTemplates({ stage: 'dev' });
  const [secretId] = Object.keys(stateless.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('CursorKey'));

  it('is one generated 48-character secret', () => {
    expect(secretId).toBeDefined();
    expect(stateless.toJSON().Resources[secretId].Properties).toMatchObject({
      Description: expect.stringContaining('cursors of GET /accounts/{id}/transactions'),
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
  });

  it('reaches the query function as an ARN only: no key, no stack id in its environment', () => {
    const variables = queryFunction(stateless).Properties.Environment.Variables;

    expect(variables[CURSOR_KEY_ENV.secretArn]).toEqual({ Ref: secretId });
    expect(variables).not.toHaveProperty(CURSOR_KEY_ENV.value);
    expect(JSON.stringify(variables)).not.toContain('AWS::StackId');
  });

  it("can be read by the query function's role only, with read actions on that secret alone (no *)", () => {
    const onSecret = policyStatements(stateless).filter((s) => JSON.stringify(s.Resource).includes(secretId));
    expect(onSecret).toHaveLength(1);
    expect(asArray(onSecret[0].Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(onSecret[0].Resource).toEqual({ Ref: secretId });

    const readers = Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(secretId));
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0].Properties.Roles)).toMatch(/^\[\{"Ref":"QueryFunctionServiceRole[0-9A-F]{8}"\}\]$/);
    const secretStatements = readers[0].Properties.PolicyDocument.Statement.filter((s: { Action: string | string[] }) =>
      asArray(s.Action).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([onSecret[0]]);
    // X-Ray's write actions have no resource-level permissions, so they alone are on `*` (test/infra/tracing.test.ts guards that).
    const xrayOnly = (statement: { Action: string | string[] }) => asArray(statement.Action).every((action) => action.startsWith('xray:'));
    for (const statement of readers[0].Properties.PolicyDocument.Statement.filter((s: { Action: string | string[] }) => !xrayOnly(s))) {
      expect(asArray(statement.Resource)).not.toContain('*');
    }
  });

  it('follows the stage removal policy (kept on prod) and outputs its ARN for rotation', () => {
    const { stateless: prod } = synthTemplates({ stage: 'prod' });
    expect(prod.toJSON().Resources[secretId]).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(stateless.toJSON().Resources[secretId]).toMatchObject({ DeletionPolicy: 'Delete' });
    stateless.hasOutput('CursorKeySecretArn', { Value: { Ref: secretId } });
  });
});
