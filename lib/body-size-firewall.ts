import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * Bodies from this size on are refused at the edge: below Lambda's 6 MB synchronous invoke limit
 * (6,291,456 bytes for the whole proxy event), with room for the headers and the event's own fields.
 */
export const MAX_FORWARDED_BODY_BYTES = 6_000_000;

/**
 * A `Content-Length` of {@link MAX_FORWARDED_BODY_BYTES} or more, written in decimal (leading zeros
 * allowed): 6,000,000–9,999,999, or eight digits and up.
 */
export const CONTENT_LENGTH_TOO_LARGE_PATTERN = '^0*([6-9][0-9]{6}|[1-9][0-9]{7,})$';

/** The key of the 413 body in the web ACL's custom response bodies. */
const TOO_LARGE_BODY_KEY = 'payload-too-large';

export interface BodySizeFirewallProps {
  /** The REST API stage the web ACL protects. */
  readonly stage: apigateway.Stage;
  /** Prefix of the CloudWatch metric names (one web ACL per stage), e.g. `sluice-dev`. */
  readonly metricPrefix: string;
  /** The 413 body, `{"error":"payload_too_large","message":…}` as the API's own gateway response. */
  readonly tooLargeBody: string;
}

/**
 * An AWS WAF web ACL on the API stage that answers a body too large for Lambda with the contract's
 * 413 before API Gateway tries to invoke the function. Without it a body between Lambda's 6 MB
 * invoke limit and API Gateway's 10 MB fails at the invoke and reaches the caller as a 5xx.
 *
 * The rule reads the `Content-Length` header, not the body (WAF inspects only the first 16 KB of
 * an API Gateway body); a request without the header does not match (docs/input-rules.md, "On AWS").
 */
export class BodySizeFirewall extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  public constructor(scope: Construct, id: string, props: BodySizeFirewallProps) {
    super(scope, id);
    const visibility = (metric: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${metric}`,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      // WAF descriptions allow no underscore (CloudFormation schema pattern).
      description: 'Answers a body too large for a Lambda invoke with 413 payload-too-large',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      customResponseBodies: {
        [TOO_LARGE_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: props.tooLargeBody },
      },
      rules: [
        {
          name: 'BodyOverLambdaInvokeLimit',
          priority: 0,
          statement: {
            regexMatchStatement: {
              regexString: CONTENT_LENGTH_TOO_LARGE_PATTERN,
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: TOO_LARGE_BODY_KEY } } },
          visibilityConfig: visibility('body-over-lambda-limit'),
        },
      ],
    });
    // The stage ARN refers to the stage (Ref), so CloudFormation associates the web ACL only once the stage exists.
    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
