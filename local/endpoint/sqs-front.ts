/**
 * The SQS requests the endpoint answers itself instead of proxying: query-protocol calls
 * (translated to fauxqs' JSON protocol and back, see sqs-query.ts) and the JSON-protocol actions
 * fauxqs lacks (sqs-emulated-actions.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ChaosLayer } from './chaos-layer';
import { operationOf } from './chaos';
import { messageOf } from './http-answers';
import { queryErrorXml, serveSqsQuery, withEmulatedActions, type HttpAnswer, type SqsJsonSender } from './sqs-query';

/** What the SQS front needs: the chaos layer, a JSON-protocol sender to fauxqs, and the endpoint's own URL. */
export interface SqsFront {
  readonly chaos: ChaosLayer;
  readonly send: SqsJsonSender;
  /** `http://localhost:<port>`: queue URLs in query requests are rebuilt on it. */
  readonly publicUrl: () => string;
  /** For error messages: where fauxqs listens. */
  readonly sqsHost: string;
}

/** An SQS query-protocol call: faults first (as for JSON calls, matched on its parameters), then translated for fauxqs. */
export async function answerSqsQuery(front: SqsFront, method: string, path: string, body: Buffer): Promise<HttpAnswer> {
  const text = body.toString('utf8');
  if (front.chaos.targets('sqs')) {
    const params = [path.split('?')[1], text].filter(Boolean).join('&');
    const fault = await front.chaos.apply({ service: 'sqs', operation: operationOf(undefined, params, true), body: params }, true);
    if (fault) return fault;
  }
  try {
    return await serveSqsQuery({ method, path, body: text }, front.publicUrl(), withEmulatedActions(front.send));
  } catch (error) {
    const requestId = randomUUID();
    const message = `sluice local endpoint: the sqs emulator at ${front.sqsHost} failed: ${messageOf(error)}`;
    return {
      status: 503,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: queryErrorXml({ status: 503, type: 'Receiver', code: 'ServiceUnavailable', message }, requestId),
    };
  }
}

/** A JSON-protocol SQS call fauxqs lacks, answered by the endpoint from calls fauxqs has. */
export async function answerEmulatedSqsJson(front: SqsFront, action: string, body: Buffer): Promise<HttpAnswer> {
  const requestId = randomUUID();
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId };
  try {
    const input = (body.length ? JSON.parse(body.toString('utf8')) : {}) as Record<string, unknown>;
    const answer = await withEmulatedActions(front.send)({ action, input });
    if (answer.queryErrorHeader) headers['x-amzn-query-error'] = answer.queryErrorHeader;
    return { status: answer.status, headers, body: answer.body };
  } catch (error) {
    return {
      status: 400,
      headers,
      body: JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: `sluice local endpoint: ${messageOf(error)}` }),
    };
  }
}
