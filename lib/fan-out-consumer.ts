import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_MAPPING_DEFAULTS } from './defaults';

/** Where a consumer reads from: the Kinesis stream or a DynamoDB table's stream. */
export type ConsumerSource = { readonly kinesisStream: kinesis.IStream } | { readonly dynamoTable: dynamodb.ITable };

export interface FanOutConsumerProps {
  readonly function: lambda.IFunction;
  readonly source: ConsumerSource;
  /** On-failure destination: receives a record of every batch that exhausted its retries. */
  readonly deadLetterQueue: sqs.IQueue;
  /** @default 100 */
  readonly batchSize?: number;
  /** @default Duration.seconds(0) — lowest latency */
  readonly maxBatchingWindow?: Duration;
  /** @default 3 */
  readonly retryAttempts?: number;
  /** @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
  /** Concurrent batches per shard; records of one partition key stay in order. @default 1 */
  readonly parallelizationFactor?: number;
  /** @default lambda.StartingPosition.TRIM_HORIZON — a new consumer starts from the oldest retained record */
  readonly startingPosition?: lambda.StartingPosition;
}

/**
 * One independent consumer of a stream: its own event source mapping, its own position in the
 * stream and its own DLQ. The mapping reports partial batch failures, bisects failing batches,
 * retries a bounded number of times and drops records past a maximum age into the DLQ, so one
 * poison record can neither stall the shard nor take good records down with it.
 */
export class FanOutConsumer extends Construct {
  public readonly eventSource: sources.KinesisEventSource | sources.DynamoEventSource;

  public constructor(scope: Construct, id: string, props: FanOutConsumerProps) {
    super(scope, id);
    const parallelizationFactor = props.parallelizationFactor ?? STREAM_MAPPING_DEFAULTS.parallelizationFactor;
    if (!Number.isInteger(parallelizationFactor) || parallelizationFactor < 1 || parallelizationFactor > 10) {
      throw new Error(`parallelizationFactor must be an integer from 1 to 10 (got ${parallelizationFactor})`);
    }
    const options = {
      startingPosition: props.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? STREAM_MAPPING_DEFAULTS.batchSize,
      maxBatchingWindow: props.maxBatchingWindow ?? STREAM_MAPPING_DEFAULTS.maxBatchingWindow,
      retryAttempts: props.retryAttempts ?? STREAM_MAPPING_DEFAULTS.retryAttempts,
      maxRecordAge: props.maxRecordAge ?? STREAM_MAPPING_DEFAULTS.maxRecordAge,
      parallelizationFactor,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new sources.SqsDlq(props.deadLetterQueue),
    };
    this.eventSource =
      'kinesisStream' in props.source
        ? new sources.KinesisEventSource(props.source.kinesisStream, options)
        : new sources.DynamoEventSource(props.source.dynamoTable, options);
    props.function.addEventSource(this.eventSource);
  }
}
