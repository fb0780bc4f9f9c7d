import { buildLocalApp, notEmulatedLines, UNKNOWN_TYPE_REASON, type StackInput } from '../../../../local/template';

const options = { awsEndpoint: 'http://localhost:4566', apiPort: 3000, cloudAssemblyDir: '/repo/cdk.out' };

const stack: StackInput = {
  stackName: 'sluice-test-stateless',
  template: {
    Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
      },
      Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL' } },
      AclAssociation: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] } } },
      RoleA: { Type: 'AWS::IAM::Role' },
      RoleB: { Type: 'AWS::IAM::Role' },
      Topic: { Type: 'AWS::SNS::Topic' },
      OnlyOnProd: { Type: 'AWS::SES::EmailIdentity', Condition: 'Never' },
      CDKMetadata: { Type: 'AWS::CDK::Metadata' },
    },
  },
};

describe('resource types the local cloud does not emulate', () => {
  const app = buildLocalApp([stack], options);

  it('are listed once per type with their count and what stands in for them, not dropped in silence', () => {
    expect(app.notEmulated).toEqual([
      { type: 'AWS::IAM::Role', count: 2, reason: expect.stringMatching(/^not enforced/) },
      { type: 'AWS::SNS::Topic', count: 1, reason: UNKNOWN_TYPE_REASON },
      { type: 'AWS::WAFv2::WebACL', count: 1, reason: "not emulated; the local API answers 413 itself (a body over Lambda's 6 MB invoke limit)" },
      { type: 'AWS::WAFv2::WebACLAssociation', count: 1, reason: 'not emulated; the local API answers 413 itself' },
    ]);
  });

  it("leave out what runs locally, CDK's metadata and resources whose condition is false", () => {
    const types = (app.notEmulated ?? []).map((t) => t.type);

    expect(types).not.toContain('AWS::DynamoDB::Table');
    expect(types).not.toContain('AWS::CDK::Metadata');
    expect(types).not.toContain('AWS::SES::EmailIdentity');
  });

  it('are printed at start-up as a heading and one aligned line per type', () => {
    expect(notEmulatedLines(app.notEmulated ?? [])).toEqual([
      '  not emulated (these resources do not exist locally)',
      `    AWS::IAM::Role ×2                 ${app.notEmulated![0].reason}`,
      `    AWS::SNS::Topic ×1                ${UNKNOWN_TYPE_REASON}`,
      "    AWS::WAFv2::WebACL ×1             not emulated; the local API answers 413 itself (a body over Lambda's 6 MB invoke limit)",
      '    AWS::WAFv2::WebACLAssociation ×1  not emulated; the local API answers 413 itself',
    ]);
    expect(notEmulatedLines([])).toEqual([]);
  });
});
