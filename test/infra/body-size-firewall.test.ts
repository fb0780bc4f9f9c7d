import { CONTENT_LENGTH_TOO_LARGE_PATTERN, MAX_FORWARDED_BODY_BYTES } from '../../lib/body-size-firewall';
import { synthTemplates } from './sluice-app.fixture';

/**
 * The WAF web ACL that turns a body too large for a Lambda invoke into the contract's 413. AWS WAF
 * regexes are PCRE; this pattern uses only what JavaScript's RegExp reads the same way.
 */
describe('body size firewall', () => {
  const { stateless } = synthTemplates({ stage: 'dev' });
  const acls = stateless.findResources('AWS::WAFv2::WebACL');
  const [aclId] = Object.keys(acls);
  const acl = acls[aclId]?.Properties;
  const rule = acl?.Rules?.[0];

  it('is one regional web ACL that lets everything else through', () => {
    expect(Object.keys(acls)).toHaveLength(1);
    expect(acl).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acl.Rules).toHaveLength(1);
  });

  it('blocks a Content-Length of 6,000,000 or more with a custom 413', () => {
    expect(rule).toMatchObject({
      Statement: {
        RegexMatchStatement: {
          RegexString: CONTENT_LENGTH_TOO_LARGE_PATTERN,
          FieldToMatch: { SingleHeader: { Name: 'content-length' } },
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      },
      Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'payload-too-large' } } },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
  });

  it("answers with a JSON body in the contract's shape, the same one API Gateway gives over 10 MB", () => {
    const body = acl.CustomResponseBodies[rule.Action.Block.CustomResponse.CustomResponseBodyKey];
    const gateway = Object.values(stateless.findResources('AWS::ApiGateway::GatewayResponse')).find((r) => r.Properties.ResponseType === 'REQUEST_TOO_LARGE');

    expect(body.ContentType).toBe('APPLICATION_JSON');
    const parsed = JSON.parse(body.Content);
    expect(Object.keys(parsed).sort()).toEqual(['error', 'message']);
    expect(parsed).toEqual({ error: 'payload_too_large', message: expect.stringMatching(/too large: send at most/) });
    expect(JSON.parse(gateway!.Properties.ResponseTemplates['application/json'])).toEqual(parsed);
  });

  it.each([
    ['6000000', true],
    ['06000000', true],
    ['9999999', true],
    ['10000000', true],
    ['123456789012', true],
    ['5999999', false],
    ['600000', false],
    ['0', false],
    ['', false],
    ['6000000 ', false],
    ['-6000000', false],
    ['6e6', false],
  ])('reads Content-Length %p as %s', (value, blocked) => {
    expect(new RegExp(CONTENT_LENGTH_TOO_LARGE_PATTERN).test(value)).toBe(blocked);
    if (blocked && /^[0-9]+$/.test(value)) expect(Number(value)).toBeGreaterThanOrEqual(MAX_FORWARDED_BODY_BYTES);
  });

  it('is associated with the API stage (a Ref, so it is created after the stage)', () => {
    const associations = stateless.findResources('AWS::WAFv2::WebACLAssociation');
    const [stageId] = Object.keys(stateless.findResources('AWS::ApiGateway::Stage'));
    const [restApiId] = Object.keys(stateless.findResources('AWS::ApiGateway::RestApi'));
    const [association] = Object.values(associations);

    expect(Object.keys(associations)).toHaveLength(1);
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(association.Properties.ResourceArn).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', { Ref: restApiId }, '/stages/', { Ref: stageId }],
      ],
    });
  });
});
