import { randomUUID } from 'node:crypto';
import { SqsQueryRequestError, toJsonCall, type SqsJsonCall } from './sqs-query-request';
import { queryErrorOf, queryErrorXml, queryResultXml } from './sqs-query-response';
import type { SqsJsonSender } from './sqs-emulated-actions';

export { toJsonCall, SqsQueryRequestError, type SqsJsonCall } from './sqs-query-request';
export { withEmulatedActions, EMULATED_SQS_ACTIONS, type SqsJsonSender } from './sqs-emulated-actions';
export { queryResultXml, queryErrorXml, queryErrorOf, escapeXml, SQS_QUERY_NAMESPACE, type SqsQueryError } from './sqs-query-response';

/** An HTTP answer as the endpoint writes it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Whether a request without `X-Amz-Target` is an SQS query-protocol call: a form body, or a GET
 * whose query string names an `Action` (the protocol allows both).
 */
export function isSqsQueryRequest(method: string, path: string, contentType: string | undefined): boolean {
  if (contentType?.toLowerCase().includes('application/x-www-form-urlencoded')) return true;
  return method.toUpperCase() === 'GET' && new URLSearchParams(path.split('?')[1] ?? '').has('Action');
}

/**
 * Serves one SQS query-protocol request by translating it to the JSON protocol and the answer back.
 *
 * The parameters are the query string's and the form body's together (a GET carries them all in
 * the query string). A request posted to a queue URL (`/000000000000/orders`) names that queue.
 *
 * @param publicUrl the endpoint's own base URL (`http://localhost:4566`), to rebuild a queue URL from the path
 */
export async function serveSqsQuery(request: { method: string; path: string; body: string }, publicUrl: string, send: SqsJsonSender): Promise<HttpAnswer> {
  const requestId = randomUUID();
  const headers = (contentType: string) => ({ 'content-type': contentType, 'x-amzn-requestid': requestId });
  const [pathname, queryString = ''] = request.path.split('?');
  const params = new URLSearchParams(queryString);
  for (const [name, value] of new URLSearchParams(request.body)) params.append(name, value);
  let call: SqsJsonCall;
  try {
    call = toJsonCall(params, pathname === '/' || pathname === '' ? undefined : `${publicUrl}${pathname}`);
  } catch (error) {
    if (!(error instanceof SqsQueryRequestError)) throw error;
    return { status: 400, headers: headers('text/xml'), body: queryErrorXml({ status: 400, type: 'Sender', code: error.code, message: error.message }, requestId) };
  }
  const answer = await send(call);
  let json: Record<string, unknown>;
  try {
    json = answer.body.trim() === '' ? {} : (JSON.parse(answer.body) as Record<string, unknown>);
  } catch {
    const error = {
      status: 500,
      type: 'Receiver' as const,
      code: 'InternalError',
      message: `sluice local endpoint: the SQS emulator answered ${call.action} with non-JSON (${answer.status}): ${answer.body.slice(0, 200)}`,
    };
    return { status: 500, headers: headers('text/xml'), body: queryErrorXml(error, requestId) };
  }
  if (answer.status >= 300) {
    const error = queryErrorOf(answer.status, json, answer.queryErrorHeader);
    return { status: error.status, headers: headers('text/xml'), body: queryErrorXml(error, requestId) };
  }
  return { status: 200, headers: headers('text/xml'), body: queryResultXml(call.action, json, requestId) };
}
