import { resolveValue, resolveString, TemplateError, type ResolveContext } from '../../../local/template';

const ctx: ResolveContext = {
  stackName: 'sluice-test-stateful',
  ref: (logicalId, where) => {
    if (logicalId === 'Table') return 'sluice-test-stateful-Table';
    throw new TemplateError(`Ref to "${logicalId}"`, where);
  },
  getAtt: (logicalId, attribute) => `arn:${logicalId}:${attribute}`,
  importValue: (name) => `imported:${name}`,
  condition: (name, where) => {
    if (name === 'IsProd') return false;
    if (name === 'IsLocal') return true;
    throw new TemplateError(`condition "${name}" is not defined`, where);
  },
};

describe('resolveValue', () => {
  it.each([
    ['Ref of a resource', { Ref: 'Table' }, 'sluice-test-stateful-Table'],
    ['Ref of a pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Ref of AWS::StackName', { Ref: 'AWS::StackName' }, 'sluice-test-stateful'],
    ['Fn::GetAtt as a list', { 'Fn::GetAtt': ['Stream', 'Arn'] }, 'arn:Stream:Arn'],
    ['Fn::GetAtt as a dotted string', { 'Fn::GetAtt': 'Table.StreamArn' }, 'arn:Table:StreamArn'],
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::AccountId' }, 'b']] }, 'a-000000000000-b'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'x/y/z'] }] }, 'y'],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'stack:Export' }, 'imported:stack:Export'],
    [
      'Fn::Sub with pseudo parameters, refs, attributes and a literal',
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Table}/${Queue.Arn}/${!Literal}.${AWS::URLSuffix}' },
      'arn:aws:s3:::sluice-test-stateful-Table/arn:Queue:Arn/${Literal}.amazonaws.com',
    ],
    ['Fn::Sub with variables', { 'Fn::Sub': ['${A}-${B}', { A: 'x', B: { Ref: 'AWS::Region' } }] }, 'x-us-east-1'],
  ])('resolves %s', (_, value, expected) => {
    expect(resolveValue(value, ctx, 'Stack/Res')).toEqual(expected);
  });

  it('resolves intrinsics nested in objects and lists and drops AWS::NoValue', () => {
    const value = { Name: { Ref: 'Table' }, Extra: { Ref: 'AWS::NoValue' }, List: ['a', { Ref: 'AWS::NoValue' }] };
    expect(resolveValue(value, ctx, 'Stack/Res')).toEqual({ Name: 'sluice-test-stateful-Table', List: ['a'] });
  });

  it('fails naming the unsupported intrinsic and where it is', () => {
    expect(() => resolveValue({ Env: { 'Fn::FindInMap': ['M', 'a', 'b'] } }, ctx, 'Stack/Fn/Properties')).toThrow(
      /^Stack\/Fn\/Properties\.Env\.Fn::FindInMap: the local cloud does not support Fn::FindInMap/,
    );
  });

  describe('Fn::If', () => {
    it.each([
      ['the true branch when the condition holds', { 'Fn::If': ['IsLocal', 'yes', 'no'] }, 'yes'],
      ['the false branch when it does not', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'no'],
      ['intrinsics inside the chosen branch', { 'Fn::If': ['IsLocal', { Ref: 'Table' }, 'no'] }, 'sluice-test-stateful-Table'],
    ])('resolves to %s', (_, value, expected) => {
      expect(resolveValue(value, ctx, 'S/R')).toEqual(expected);
    });

    it('never resolves the branch it does not take (it may name a resource that is not created)', () => {
      expect(resolveValue({ 'Fn::If': ['IsProd', { Ref: 'OnlyInProd' }, 'fallback'] }, ctx, 'S/R')).toBe('fallback');
    });

    it('drops the property when the chosen branch is AWS::NoValue', () => {
      const value = { Keep: 1, Drop: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] }, List: [{ 'Fn::If': ['IsLocal', { Ref: 'AWS::NoValue' }, 'x'] }, 'y'] };
      expect(resolveValue(value, ctx, 'S/R')).toEqual({ Keep: 1, List: ['y'] });
    });

    it('fails on a malformed Fn::If, showing it', () => {
      expect(() => resolveValue({ 'Fn::If': ['IsProd', 'only-one-branch'] }, ctx, 'S/R')).toThrow(
        'S/R.Fn::If: Fn::If takes [conditionName, valueIfTrue, valueIfFalse] (got ["IsProd","only-one-branch"])',
      );
    });
  });

  it('passes errors from Ref through with their location', () => {
    expect(() => resolveString({ Ref: 'Missing' }, ctx, 'Stack/X')).toThrow(TemplateError);
  });

  it('fails when Fn::Select is out of range', () => {
    expect(() => resolveValue({ 'Fn::Select': [3, ['a']] }, ctx, 'S/R')).toThrow(/index 3 is out of range/);
  });
});
