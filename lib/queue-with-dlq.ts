import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_DEFAULTS, VISIBILITY_TIMEOUT_FACTOR } from './defaults';

export interface QueueWithDlqProps {
  /** Timeout of the function that consumes the queue; the visibility timeout is 6× this. */
  readonly consumerTimeout: Duration;
  /**
   * FIFO queue (and FIFO DLQ).
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: let SQS derive the deduplication id from the body. sluice sends explicit ids instead.
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
  /** @default 5 */
  readonly maxReceiveCount?: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An SQS queue with its dead-letter queue: encrypted (SSE-SQS), SSL enforced, redrive after
 * `maxReceiveCount` receives, visibility timeout 6× the consumer's timeout.
 *
 * @example
 * new QueueWithDlq(this, 'Notifications', { consumerTimeout: Duration.seconds(30), removalPolicy });
 */
export class QueueWithDlq extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** Receives before SQS's redrive moves a message to the DLQ; a consumer that acts on its last receive reads it here. */
  public readonly maxReceiveCount: number;

  public constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const fifo = props.fifo ?? false;
    const maxReceiveCount = props.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount;
    this.maxReceiveCount = maxReceiveCount;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer from 1 to 1000 (got ${maxReceiveCount})`);
    }
    if (props.contentBasedDeduplication && !fifo) {
      throw new Error('contentBasedDeduplication needs fifo: true; standard queues do not deduplicate');
    }
    const common = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      ...(fifo ? { fifo: true } : {}),
    };
    this.deadLetterQueue = new sqs.Queue(this, 'Dlq', { ...common, retentionPeriod: QUEUE_DEFAULTS.dlqRetention });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      ...(fifo && props.contentBasedDeduplication ? { contentBasedDeduplication: true } : {}),
      retentionPeriod: QUEUE_DEFAULTS.retention,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}

/**
 * A standalone dead-letter queue: the on-failure destination of a stream consumer.
 * It is itself the last stop, so it has no DLQ of its own (cdk-nag SQS3 is suppressed with that reason).
 */
export class FailureQueue extends Construct {
  public readonly queue: sqs.Queue;

  public constructor(scope: Construct, id: string, props: { readonly removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_DEFAULTS.dlqRetention,
      removalPolicy: props.removalPolicy,
    });
  }
}
