import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export interface DataTableProps {
  /** String partition key attribute. */
  readonly partitionKey: string;
  readonly sortKey?: dynamodb.Attribute;
  readonly stream?: dynamodb.StreamViewType;
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  readonly timeToLiveAttribute?: string;
  readonly removalPolicy: RemovalPolicy;
  /**
   * Refuse `DeleteTable` (console, CLI, a stack update that replaces the table).
   * @default - on when the table is retained (the prod stage), off otherwise
   */
  readonly deletionProtection?: boolean;
}

/**
 * A DynamoDB table with sluice's defaults: on-demand billing, encryption at rest,
 * point-in-time recovery, the stage's removal policy, and deletion protection on retained (prod) tables.
 */
export function dataTable(scope: Construct, id: string, props: DataTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(props.sortKey ? { sortKey: props.sortKey } : {}),
    ...(props.stream ? { stream: props.stream } : {}),
    ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: props.removalPolicy,
    deletionProtection: props.deletionProtection ?? props.removalPolicy === RemovalPolicy.RETAIN,
  });
}
