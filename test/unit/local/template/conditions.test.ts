import { applyConditions, type ConditionContext } from '../../../../local/template/conditions';
import { buildLocalApp, TemplateError, type CfnTemplate, type StackInput } from '../../../../local/template';

const parameters: Record<string, string> = { Stage: 'dev', Alarms: 'true' };
const ctx: ConditionContext = {
  stackName: 'app',
  ref: (name, where) => {
    if (name in parameters) return parameters[name];
    throw new TemplateError(`Ref to "${name}"`, where);
  },
};

function conditionsOf(conditions: Record<string, unknown>): Record<string, boolean> {
  return Object.fromEntries(applyConditions({ Conditions: conditions }, ctx).conditions);
}

describe('applyConditions', () => {
  it.each([
    ['Fn::Equals of a parameter', { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, true],
    ['Fn::Equals of a pseudo parameter', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, false],
    ['Fn::Equals of a boolean and its string', { 'Fn::Equals': [{ Ref: 'Alarms' }, true] }, true],
    ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }] }, true],
    ['Fn::And with one false operand', { 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { 'Fn::Equals': ['a', 'b'] }] }, false],
    ['Fn::Or with one true operand', { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Equals': ['a', 'a'] }] }, true],
  ])('evaluates %s', (_, condition, expected) => {
    expect(conditionsOf({ C: condition })).toEqual({ C: expected });
  });

  it('evaluates a condition that names another, defined later', () => {
    expect(
      conditionsOf({
        NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      }),
    ).toEqual({ NotProd: true, IsProd: false });
  });

  it('keeps only the resources and outputs whose condition is true', () => {
    const template: CfnTemplate = {
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
      Resources: {
        Always: { Type: 'AWS::SQS::Queue' },
        ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
        DevOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsDev' },
      },
      Outputs: { ProdUrl: { Value: 'x', Condition: 'IsProd' }, DevUrl: { Value: 'y', Condition: 'IsDev' } },
    };

    const { template: applied, omitted } = applyConditions(template, ctx);

    expect(Object.keys(applied.Resources ?? {})).toEqual(['Always', 'DevOnly']);
    expect(Object.keys(applied.Outputs ?? {})).toEqual(['DevUrl']);
    expect(omitted).toEqual([{ logicalId: 'ProdOnly', type: 'AWS::SQS::Queue', condition: 'IsProd' }]);
  });

  it.each([
    ['an undefined condition', { A: { Condition: 'Nope' } }, 'app/Conditions/A.Condition: condition "Nope" is not defined in Conditions (defined: A)'],
    ['a circular condition', { A: { Condition: 'B' }, B: { Condition: 'A' } }, /condition "A" refers to itself through A → B/],
    ['a value that is no condition function', { A: { Ref: 'Stage' } }, 'app/Conditions/A.Ref: Ref is not a condition function'],
    ['Fn::And with one operand', { A: { 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }] } }, /Fn::And takes a list of 2 to 10 conditions/],
    [
      'a resource attribute in a condition',
      { A: { 'Fn::Equals': [{ 'Fn::GetAtt': ['Queue', 'Arn'] }, 'x'] } },
      /conditions can only use parameters and pseudo parameters/,
    ],
  ])('refuses %s, saying where', (_, conditions, message) => {
    expect(() => applyConditions({ Conditions: conditions }, ctx)).toThrow(message);
  });

  it('refuses a resource whose Condition is not defined', () => {
    expect(() => applyConditions({ Resources: { Q: { Type: 'AWS::SQS::Queue', Condition: 'Missing' } } }, ctx)).toThrow(
      'app/Q/Condition: condition "Missing" is not defined in Conditions (defined: none)',
    );
  });
});

describe('buildLocalApp with Conditions', () => {
  const options = { awsEndpoint: 'http://localhost:4566', apiPort: 3000, cloudAssemblyDir: '/repo/cdk.out' };
  const stack = (stage: string, extra: Partial<CfnTemplate> = {}): StackInput => ({
    stackName: 'app',
    template: {
      Parameters: { Stage: { Default: stage } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
      Resources: {
        Orders: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: { 'Fn::If': ['IsProd', 300, 30] } } },
        Audit: { Type: 'AWS::SQS::Queue', Condition: 'IsProd', Properties: {} },
      },
      Outputs: {
        AuditUrl: { Value: { Ref: 'Audit' }, Condition: 'IsProd' },
        Url: { Value: { 'Fn::If': ['IsProd', { Ref: 'Audit' }, { Ref: 'Orders' }] } },
      },
      ...extra,
    },
  });

  it('creates a conditional resource only when its condition is true', () => {
    const dev = buildLocalApp([stack('dev')], options);
    const prod = buildLocalApp([stack('prod')], options);

    expect(dev.queues.map((q) => [q.logicalId, q.visibilityTimeoutSeconds])).toEqual([['Orders', 30]]);
    expect(prod.queues.map((q) => [q.logicalId, q.visibilityTimeoutSeconds])).toEqual([
      ['Orders', 300],
      ['Audit', 30],
    ]);
    expect(dev.outputs.app).toEqual({ Url: 'http://localhost:4566/000000000000/app-Orders' });
    expect(dev.skipped).toContainEqual({ stackName: 'app', logicalId: 'Audit', type: 'AWS::SQS::Queue', reason: 'condition IsProd is false' });
  });

  it('refuses a reference to a resource its condition left out, as CloudFormation does', () => {
    const bad = stack('dev', { Outputs: { AuditUrl: { Value: { Ref: 'Audit' } } } });

    expect(() => buildLocalApp([bad], options)).toThrow(
      'app/Outputs/AuditUrl/Value.Ref: Ref to "Audit", which is not created because its condition "IsProd" is false (reference it only under Fn::If of the same condition)',
    );
  });
});
