import { CfnOutput, Validations } from 'aws-cdk-lib';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SluiceConfig } from '../config';
import { FanOutConsumer } from '../fan-out-consumer';
import type { ObservabilityProps } from '../observability';
import { SluiceFunction } from '../sluice-function';
import { stageFunctionProps } from '../stage-function-props';
import type { ConsumerData, ConsumerDefinition, ConsumerResources, QueueMappingOverrides, StreamMappingOverrides } from './consumer-definition';
import { consumerOutputNames, kebabCase } from './consumer-names';

export interface StreamConsumerProps {
  /** The consumer's registry entry (`lib/consumers/registry.ts`). */
  readonly definition: ConsumerDefinition;
  readonly config: SluiceConfig;
  /** The stateful stack's resources, with the DLQs and work queues it made from the same registry. */
  readonly data: ConsumerData;
}

/** What `Observability` watches for one consumer, keyed like its props (folder or queue name, kebab-case). */
export type ObservedConsumer = Pick<ObservabilityProps, 'functions' | 'streamConsumers' | 'deadLetterQueues' | 'workQueues'>;

/**
 * One consumer of the pipeline, from its registry entry: the function (a {@link SluiceFunction}, so
 * its logical ids are the function's), its environment from the entry's contract, its grants, the
 * mapping on its source with its DLQ wired in (a {@link FanOutConsumer} for a stream; an SQS mapping
 * with partial batch responses for a queue), and the output `<Consumer>FunctionName`. Its alarms are
 * made by `Observability` from {@link observed} (error rate, throttles, duration, iterator age, DLQ
 * not empty, oldest message), so they share the stage's topic and dashboard. The DLQ itself and its
 * `<Consumer>DlqUrl` output live in the stateful stack, which makes them from the same entry.
 *
 * @example
 * const projector = new StreamConsumer(this, 'Projector', { definition: CONSUMERS[1], config, data });
 * new Observability(this, 'Observability', { ...projector.observed, ... });
 */
export class StreamConsumer extends SluiceFunction {
  public readonly definition: ConsumerDefinition;
  /** Where its failed records or messages go: its own on-failure queue, or its work queue's DLQ. */
  public readonly deadLetterQueue: sqs.IQueue;
  public readonly observed: ObservedConsumer;

  public constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    const { definition, config, data } = props;
    const deadLetterQueue = consumerDeadLetterQueue(definition, data);
    const resources: ConsumerResources = { config, data, deadLetterQueue };
    super(scope, id, {
      name: definition.name,
      description: definition.description,
      ...stageFunctionProps(config),
      ...(definition.handlerDir ? { handlerDir: definition.handlerDir } : {}),
      ...(definition.timeout ? { timeout: definition.timeout(config) } : {}),
      environment: environmentOf(definition, resources),
    });
    this.definition = definition;
    this.deadLetterQueue = deadLetterQueue;
    definition.grants(this.function, resources);
    this.connectSource(data);
    const output = new CfnOutput(this, 'FunctionNameOutput', {
      value: this.function.functionName,
      description: `The ${definition.name} function (sluice replay/redrive invoke it)`,
    });
    output.overrideLogicalId(consumerOutputNames(definition).functionName);
    this.observed = this.observedResources(data);
  }

  private connectSource(data: ConsumerData): void {
    const { source, mapping = {} } = this.definition;
    if (source.kind === 'queue') {
      if (!('maxConcurrency' in mapping)) throw new Error(`consumer ${this.definition.name} reads a queue: give its mapping { batchSize, maxConcurrency }`);
      const { batchSize, maxConcurrency } = mapping as QueueMappingOverrides;
      // The consumer moves an invalid message to the DLQ at once, with the reason; SQS's redrive only counts receives.
      this.deadLetterQueue.grantSendMessages(this.function);
      this.function.addEventSource(new sources.SqsEventSource(data.workQueues[source.queue.id].queue, { batchSize, reportBatchItemFailures: true, maxConcurrency }));
      return;
    }
    if ('maxConcurrency' in mapping)
      throw new Error(`consumer ${this.definition.name} reads a stream: maxConcurrency is a queue mapping setting (got ${mapping.maxConcurrency})`);
    if (this.definition.dlq !== 'standard') {
      throw new Error(`consumer ${this.definition.name}: a stream mapping's on-failure destination must be a standard queue (got dlq: '${this.definition.dlq}')`);
    }
    new FanOutConsumer(this, 'Mapping', {
      ...(mapping as StreamMappingOverrides),
      function: this.function,
      source: source.kind === 'events-stream' ? { kinesisStream: data.eventsStream } : { dynamoTable: data.eventStore.eventsTable },
      deadLetterQueue: this.deadLetterQueue,
    });
    if (source.kind === 'event-store-stream') {
      Validations.of(this.function).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'The DynamoDB stream mapping needs dynamodb:ListStreams, which has no resource-level permissions; every other action is on the table stream ARN.',
      });
    }
  }

  private observedResources(data: ConsumerData): ObservedConsumer {
    const { name, source, dlq } = this.definition;
    if (source.kind !== 'queue') {
      return {
        functions: { [name]: this.function },
        streamConsumers: { [name]: this.function },
        deadLetterQueues: { [name]: this.deadLetterQueue },
        workQueues: {},
      };
    }
    // A work queue's alarms go by the queue's name; a FIFO queue's DLQ by `<queue>-fifo`, apart from a stream consumer of that name.
    const queueName = kebabCase(source.queue.id);
    return {
      functions: { [name]: this.function },
      streamConsumers: {},
      deadLetterQueues: { [dlq === 'fifo' ? `${queueName}-fifo` : queueName]: this.deadLetterQueue },
      workQueues: { [queueName]: { queue: data.workQueues[source.queue.id].queue, maxAge: source.queue.oldestMessageAlarmAge } },
    };
  }
}

/** The consumer's DLQ, made by the stateful stack from the same entry. @throws when the stateful stack has none for it */
function consumerDeadLetterQueue(definition: ConsumerDefinition, data: ConsumerData): sqs.IQueue {
  const queue = definition.source.kind === 'queue' ? data.workQueues[definition.source.queue.id]?.deadLetterQueue : data.failureQueues[definition.name];
  if (!queue) {
    throw new Error(`no DLQ for consumer ${definition.name} in the stateful stack: build both stacks from the same consumer registry (buildSluice's consumers)`);
  }
  return queue;
}

/** The function's variables: each contract key's value under the contract's variable name; undefined values are left unset. */
function environmentOf(definition: ConsumerDefinition, resources: ConsumerResources): Record<string, string> {
  const values = definition.environment.values(resources);
  const environment: Record<string, string> = {};
  for (const [key, variable] of Object.entries(definition.environment.contract)) {
    const value = values[key];
    if (value !== undefined) environment[variable] = value;
  }
  return environment;
}
