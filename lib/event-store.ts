import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { dataTable } from './data-table';

export interface EventStoreProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The event store: an append-only DynamoDB table (pk `streamId`, sk `version`) whose stream
 * (NEW_IMAGE) is the outbox, and a snapshots table (an optimisation only).
 *
 * Grants never include UpdateItem or DeleteItem on the events table: appending is a conditional
 * PutItem (also what TransactWriteItems needs), so stored events cannot be changed.
 *
 * @example
 * const store = new EventStore(this, 'EventStore', { removalPolicy });
 * store.grantAppend(commandFunction);
 */
export class EventStore extends Construct {
  public readonly eventsTable: dynamodb.Table;
  public readonly snapshotsTable: dynamodb.Table;

  public constructor(scope: Construct, id: string, props: EventStoreProps) {
    super(scope, id);
    this.eventsTable = dataTable(this, 'Events', {
      partitionKey: 'streamId',
      sortKey: { name: 'version', type: dynamodb.AttributeType.NUMBER },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      removalPolicy: props.removalPolicy,
    });
    this.snapshotsTable = dataTable(this, 'Snapshots', {
      partitionKey: 'streamId',
      removalPolicy: props.removalPolicy,
    });
  }
}

/** Read access to the events and snapshots of an event store (load an aggregate). */
export function grantEventStoreRead(tables: { eventsTable: dynamodb.ITable; snapshotsTable: dynamodb.ITable }, grantee: iam.IGrantable): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query', 'dynamodb:GetItem'],
    resourceArns: [tables.eventsTable.tableArn, tables.snapshotsTable.tableArn],
  });
}

/** Read, append (conditional PutItem, TransactWriteItems) and snapshot writes; no UpdateItem/DeleteItem on events. */
export function grantEventStoreAppend(tables: { eventsTable: dynamodb.ITable; snapshotsTable: dynamodb.ITable }, grantee: iam.IGrantable): void {
  grantEventStoreRead(tables, grantee);
  iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:PutItem'], resourceArns: [tables.eventsTable.tableArn, tables.snapshotsTable.tableArn] });
}
