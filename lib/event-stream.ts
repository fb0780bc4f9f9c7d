import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

export interface EventStreamProps {
  /**
   * Provisioned shards; leave unset for on-demand capacity, which scales by itself.
   * @default - on-demand
   */
  readonly shardCount?: number;
  /** @default Duration.hours(24) */
  readonly retention?: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The `events` Kinesis stream every event flows through: an append-only, encrypted log that
 * many consumers read independently, each with its own position, and that can be replayed
 * within its retention.
 */
export class EventStream extends Construct {
  public readonly stream: kinesis.Stream;

  public constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);
    const retention = props.retention ?? Duration.hours(24);
    if (retention.toHours() < 24 || retention.toHours() > 8760) {
      throw new Error(`stream retention must be from 24 to 8760 hours (got ${retention.toHours()})`);
    }
    this.stream = new kinesis.Stream(this, 'Stream', {
      ...(props.shardCount === undefined
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: props.shardCount }),
      retentionPeriod: retention,
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy: props.removalPolicy,
    });
  }
}
