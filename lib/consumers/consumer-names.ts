import type { ConsumerDefinition } from './consumer-definition';

/** `state-transfer` → `StateTransfer`. */
export function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** `StateTransfer` → `state-transfer`. */
export function kebabCase(pascal: string): string {
  return pascal.replace(/[A-Z]/g, (c, index: number) => `${index ? '-' : ''}${c.toLowerCase()}`);
}

/** The construct id of a consumer's function (and the start of its logical id), e.g. `FraudDetector`. */
export function consumerConstructId(definition: Pick<ConsumerDefinition, 'name'>): string {
  return pascalCase(definition.name);
}

/**
 * The stack output names of a consumer: the CLI finds its function and DLQ by them. A stream
 * consumer's DLQ is its own (`<outputId>DlqUrl`); a queue consumer's is its work queue's (`<queue id>DlqUrl`).
 */
export function consumerOutputNames(definition: Pick<ConsumerDefinition, 'name' | 'outputId' | 'source'>): { functionName: string; dlqUrl: string } {
  const prefix = definition.outputId ?? pascalCase(definition.name);
  const dlqUrl = definition.source.kind === 'queue' ? workQueueOutputNames(definition.source.queue.id).dlqUrl : `${prefix}DlqUrl`;
  return { functionName: `${prefix}FunctionName`, dlqUrl };
}

/** The output names of a work queue and its DLQ. */
export function workQueueOutputNames(queueId: string): { queueUrl: string; dlqUrl: string } {
  return { queueUrl: `${queueId}QueueUrl`, dlqUrl: `${queueId}DlqUrl` };
}

/** The name the CLI calls a consumer by: its output prefix in kebab-case (`StateTransferConsumer` → `state-transfer-consumer`). */
export function consumerCliName(definition: Pick<ConsumerDefinition, 'name' | 'outputId'>): string {
  return kebabCase(definition.outputId ?? pascalCase(definition.name));
}

/** Output listing the events stream's consumers (CLI names, comma-separated): what `sluice replay stream` may feed. */
export const EVENTS_STREAM_CONSUMERS_OUTPUT = 'EventsStreamConsumers';
