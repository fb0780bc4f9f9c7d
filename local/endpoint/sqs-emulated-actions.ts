import { fifoIdRefusal } from './sqs-fifo-ids';
import type { SqsJsonCall } from './sqs-query-request';

/** Sends one JSON-protocol call to the SQS emulator and returns its raw answer. */
export type SqsJsonSender = (call: SqsJsonCall) => Promise<{ status: number; queryErrorHeader?: string; body: string }>;

/** SQS actions fauxqs lacks that the endpoint answers itself, from the actions fauxqs has. */
export const EMULATED_SQS_ACTIONS: ReadonlySet<string> = new Set(['ListDeadLetterSourceQueues']);

/**
 * Wraps a sender so the actions in {@link EMULATED_SQS_ACTIONS} are answered from other calls.
 *
 * `ListDeadLetterSourceQueues`: the queues whose `RedrivePolicy` names this queue's ARN as
 * `deadLetterTargetArn`, paged by `MaxResults` (1-1000) and an opaque `NextToken`, as AWS does.
 */
export function withEmulatedActions(send: SqsJsonSender): SqsJsonSender {
  return async (call) => {
    if (call.action === 'ListDeadLetterSourceQueues') return listDeadLetterSourceQueues(call.input, send);
    const refusal = fifoIdRefusal(call.action, call.input);
    return refusal ? invalid(refusal) : send(call);
  };
}

async function listDeadLetterSourceQueues(input: Record<string, unknown>, send: SqsJsonSender): ReturnType<SqsJsonSender> {
  const target = await send({ action: 'GetQueueAttributes', input: { QueueUrl: input.QueueUrl, AttributeNames: ['QueueArn'] } });
  if (target.status >= 300) return target;
  const targetArn = (JSON.parse(target.body) as { Attributes?: Record<string, string> }).Attributes?.QueueArn;
  const listed = await send({ action: 'ListQueues', input: {} });
  if (listed.status >= 300) return listed;
  const sources: string[] = [];
  for (const url of (JSON.parse(listed.body) as { QueueUrls?: string[] }).QueueUrls ?? []) {
    const attributes = await send({ action: 'GetQueueAttributes', input: { QueueUrl: url, AttributeNames: ['RedrivePolicy'] } });
    if (attributes.status >= 300) continue; // deleted meanwhile
    const policy = (JSON.parse(attributes.body) as { Attributes?: Record<string, string> }).Attributes?.RedrivePolicy;
    if (policy && (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === targetArn) sources.push(url);
  }
  const max = input.MaxResults === undefined ? 1000 : input.MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000) {
    return invalid(`Value ${String(input.MaxResults)} for parameter MaxResults is invalid. Reason: must be between 1 and 1000.`);
  }
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) return invalid('Invalid NextToken value.');
  const page = sources.slice(start, start + max);
  const next = start + max < sources.length ? { NextToken: Buffer.from(String(start + max)).toString('base64') } : {};
  return { status: 200, body: JSON.stringify({ queueUrls: page, ...next }) };
}

/** An `InvalidParameterValue` answer, as fauxqs would give it (the query front translates it). */
export function invalid(message: string): Awaited<ReturnType<SqsJsonSender>> {
  return { status: 400, queryErrorHeader: 'InvalidParameterValue;Sender', body: JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message }) };
}
