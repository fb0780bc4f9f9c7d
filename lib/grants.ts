import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Grants exactly the named DynamoDB actions on one table (no index or stream access).
 *
 * The CDK's `grantReadWriteData` includes UpdateItem, DeleteItem, Scan and BatchWriteItem;
 * sluice's functions each need a smaller, named set, so they say which.
 *
 * @example
 * grantTableActions(replicaTable, replicaFunction, ['dynamodb:PutItem']);
 */
export function grantTableActions(table: dynamodb.ITable, grantee: iam.IGrantable, actions: readonly `dynamodb:${string}`[]): iam.Grant {
  for (const action of actions) {
    if (action.includes('*')) throw new Error(`grant named actions only, no wildcards (got "${action}")`);
  }
  return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn] });
}
