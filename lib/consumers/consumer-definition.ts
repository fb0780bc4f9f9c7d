import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { EnvironmentContract } from '../../lambdas/shared/environment';
import type { SluiceConfig } from '../config';
import type { FanOutConsumerProps } from '../fan-out-consumer';
import type { StatefulStack } from '../stateful-stack';

/** A work queue a consumer drains: made (with its DLQ) by the stateful stack from the consumer's entry. */
export interface WorkQueueSpec {
  /** Construct id and output prefix, PascalCase: outputs `<id>QueueUrl` and `<id>DlqUrl`, e.g. `Notifications`. */
  readonly id: string;
  /** The oldest message's age past which deliveries count as stuck (the `<queue>-OldestMessageAge` alarm). */
  readonly oldestMessageAlarmAge: Duration;
}

/**
 * Where a consumer reads from: the Kinesis `events` stream, the event store's DynamoDB stream (the
 * outbox), or an SQS work queue of its own.
 */
export type ConsumerSource =
  { readonly kind: 'events-stream' } | { readonly kind: 'event-store-stream' } | { readonly kind: 'queue'; readonly queue: WorkQueueSpec };

/** What a stream consumer's mapping does differently from `STREAM_MAPPING_DEFAULTS`. */
export type StreamMappingOverrides = Pick<FanOutConsumerProps, 'batchSize' | 'maxBatchingWindow' | 'retryAttempts' | 'maxRecordAge' | 'parallelizationFactor'>;

/** A queue consumer's mapping: batch size and the concurrency that protects what it calls. */
export interface QueueMappingOverrides {
  readonly batchSize: number;
  /** At least 2 (AWS's minimum for an SQS mapping). */
  readonly maxConcurrency: number;
}

/** The data the consumers use (from the stateful stack); only interfaces are read from it. */
export type ConsumerData = Pick<
  StatefulStack,
  | 'eventStore'
  | 'balancesTable'
  | 'transactionsTable'
  | 'replicaTable'
  | 'deliveriesTable'
  | 'fraudWindowsTable'
  | 'idempotencyTable'
  | 'commandIdempotencyTable'
  | 'eventsStream'
  | 'notifications'
  | 'stateTransfer'
  | 'failureQueues'
  | 'workQueues'
>;

/** What an entry's environment and grants are computed from. */
export interface ConsumerResources {
  readonly config: SluiceConfig;
  readonly data: ConsumerData;
  /** The consumer's own DLQ: a stream consumer's on-failure queue, or its work queue's DLQ. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * A value for every variable of the contract, by the contract's key (never by the variable's name);
 * `undefined` leaves an optional variable unset.
 */
export type EnvironmentValues<C extends EnvironmentContract> = { readonly [K in keyof C]: string | undefined };

/**
 * One consumer of the pipeline: everything the stacks, the alarms and the CLI need to know about it.
 * `lib/consumers/registry.ts` holds one per consumer; docs/adding-a-consumer.md is the recipe.
 */
export interface ConsumerDefinition<C extends EnvironmentContract = EnvironmentContract> {
  /** Its folder under `lambdas/` (kebab-case): the Powertools service `sluice-<name>`, the alarm and metric key. */
  readonly name: string;
  /** The function's description. */
  readonly description: string;
  readonly source: ConsumerSource;
  /**
   * Prefix of its outputs, `<outputId>FunctionName` and (stream consumers) `<outputId>DlqUrl`; the CLI
   * calls the consumer by it in kebab-case. @default the name in PascalCase (`fraud-detector` → `FraudDetector`)
   */
  readonly outputId?: string;
  /** Folder of `handler.ts`. @default `lambdas/<name>` */
  readonly handlerDir?: string;
  /** The handler folder's `environment.ts` contract, and how the stack fills each variable. */
  readonly environment: { readonly contract: C; readonly values: (resources: ConsumerResources) => EnvironmentValues<C> };
  /** The IAM grants beyond its source and its DLQ (which the construct grants). */
  readonly grants: (fn: lambda.IFunction, resources: ConsumerResources) => void;
  /** How its mapping differs from the defaults. */
  readonly mapping?: StreamMappingOverrides | QueueMappingOverrides;
  /**
   * Its DLQ: `standard` for a stream consumer (Lambda's on-failure destination of a stream mapping is a
   * standard queue); for a queue consumer `fifo` makes its work queue and the DLQ FIFO.
   */
  readonly dlq: 'standard' | 'fifo';
  /** The catalogued event types it acts on (others it acknowledges and skips); the infra test checks them against the catalog. */
  readonly eventTypes: readonly string[];
  /** @default FUNCTION_DEFAULTS.consumerTimeout */
  readonly timeout?: (config: SluiceConfig) => Duration;
}

/** Declares an entry with its contract's type kept, so `values` must fill exactly that contract. */
export function defineConsumer<C extends EnvironmentContract>(definition: ConsumerDefinition<C>): ConsumerDefinition {
  return definition as unknown as ConsumerDefinition;
}
