import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Every sluice alarm of a stage is named `sluice-<stage>-<what>`. */
export function alarmNamePrefix(stage: string): string {
  return `sluice-${stage}-`;
}

export interface AlarmTopicProps {
  readonly stage: string;
  /** An address to email every alarm and recovery to (it must confirm the subscription once). */
  readonly email?: string;
}

/**
 * The SNS topic every sluice alarm notifies when it fires and when it recovers. Encrypted with its
 * own KMS key and TLS-only. CloudWatch cannot publish to a topic under the AWS managed key
 * (`aws/sns`), whose policy admits no service, so the key's policy lets CloudWatch use it, for this
 * account's `sluice-<stage>-*` alarms only (aws:SourceAccount / aws:SourceArn, against the confused deputy).
 * Subscribe more endpoints (chat, paging) to the topic; its ARN is the `AlarmTopicArn` output.
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  /** Use as both alarm and OK action. */
  public readonly action: cloudwatch.IAlarmAction;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: `sluice ${props.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // The key protects notifications in flight only: nothing encrypted with it outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `sluice-${props.stage}-alarms`,
      displayName: `sluice ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    const alarms = new iam.ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${alarmNamePrefix(props.stage)}*` },
      },
    });
    key.grant(alarms, 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic.grantPublish(alarms);
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new actions.SnsAction(this.topic);
  }
}
