/**
 * Why a message is in a DLQ, in one line (pure): from what the mapping or the function recorded
 * with it. A stream mapping's failure record says its condition and the records' range; a
 * consumer's dead letter carries `{reason, message}` in its body; a worker's SQS dead letter
 * carries `reason` and `message` attributes; a message moved by a queue's redrive policy carries
 * nothing, and the reason says so.
 */
import { NOT_A_FAILURE_RECORD, type ListedMessage } from '../../../cli/redrive-dlq';

export function deadLetterReason(listed: ListedMessage, attributes: Readonly<Record<string, string>>): string {
  const { failure } = listed;
  if (failure?.shape === 'aws-failure-record') return `${failure.condition ?? 'the mapping gave up on the batch'}: ${listed.summary}`;
  if (failure?.shape === 'dead-letter') return withMessage(failure.reason, failure.message, failure.consumer);
  if (attributes.reason) return withMessage(attributes.reason, attributes.message, attributes.consumer);
  if (listed.reason) return listed.reason;
  if (listed.summary === NOT_A_FAILURE_RECORD) return `no reason recorded: ${NOT_A_FAILURE_RECORD}`;
  return "moved here by its source queue's redrive policy (maxReceiveCount reached); the message records no reason";
}

function withMessage(reason: string, message: string | undefined, consumer: string | undefined): string {
  return `${reason}${message ? `: ${message}` : ''}${consumer ? ` (${consumer})` : ''}`;
}

/** A message's attributes as strings: the system attributes (receive count, group…) and the message attributes the functions set. */
export function attributesOf(message: {
  readonly Attributes?: Readonly<Record<string, string | undefined>>;
  readonly MessageAttributes?: Readonly<Record<string, { readonly StringValue?: string; readonly DataType?: string }>>;
}): Record<string, string> {
  const system = Object.entries(message.Attributes ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const custom = Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
    value.StringValue !== undefined ? [[name, value.StringValue] as const] : [],
  );
  return Object.fromEntries([...system, ...custom]);
}
