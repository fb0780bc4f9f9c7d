import { asArray, policyStatements, synthTemplates } from './sluice-app.fixture';

/**
 * Active X-Ray on every function and on the API stage (docs/tracing.md), with no more IAM than
 * X-Ray needs: "X-Ray doesn't support resource-level permissions for PutTraceSegments" is why its
 * statement is on `*`, and it must be the only thing there.
 */
describe('X-Ray tracing', () => {
  const { stateless } = synthTemplates();

  it('is active on every function', () => {
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('is enabled on the API stage', () => {
    const stages = Object.values(stateless.findResources('AWS::ApiGateway::Stage'));
    expect(stages.length).toBe(1);
    expect(stages[0].Properties.TracingEnabled).toBe(true);
  });

  it('grants only the two X-Ray write actions, and nothing else on * but dynamodb:ListStreams', () => {
    const statements = policyStatements(stateless);
    const xray = statements.flatMap((statement) => asArray(statement.Action).filter((action) => action.startsWith('xray:')));
    expect(new Set(xray)).toEqual(new Set(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']));
    // CDK merges the relay's dynamodb:ListStreams (no resource-level permission either) into the same `*` statement.
    const onWildcard = statements.filter((statement) => statement.Resource === '*').flatMap((statement) => asArray(statement.Action));
    expect(new Set(onWildcard)).toEqual(new Set(['xray:PutTelemetryRecords', 'xray:PutTraceSegments', 'dynamodb:ListStreams']));
  });
});
