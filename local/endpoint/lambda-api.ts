/**
 * The endpoint's side of the Lambda REST API (`/2015-03-31/functions/...`): the chaos rules for
 * `lambda`, then the handler the runtime attached (local/runtime/lambda-api.ts), which knows the
 * functions. Before the runtime runs, or after it stopped, the API answers 503.
 */
import type { ChaosLayer } from './chaos-layer';
import { decodePathSegment, headerValue, messageOf, type AnyRequest } from './http-answers';
import type { HttpAnswer } from './sqs-query';

/** What serves the Lambda REST API paths (`/2015-03-31/functions/...`), attached once the runtime runs. */
export interface LambdaApiHandler {
  handle(request: { method: string; url: string; headers: Readonly<Record<string, string | undefined>>; body: Buffer }): Promise<HttpAnswer>;
}

const INVOKE_PATH = /\/functions\/([^/?]+)\/invocations/;

/** A Lambda service error in the REST API's JSON shape. */
function serviceError(status: number, message: string): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' }, body: JSON.stringify({ Type: 'Service', message }) };
}

/**
 * Answers one Lambda API request. Fault rules for `lambda` match `Invoke` by operation and the
 * function name (decoded from the path) together with the body.
 */
export async function answerLambdaApi(
  chaos: ChaosLayer,
  attached: () => LambdaApiHandler | undefined,
  req: AnyRequest,
  path: string,
  body: Buffer,
): Promise<HttpAnswer> {
  if (chaos.targets('lambda')) {
    const match = INVOKE_PATH.exec(path);
    const functionName = match ? (decodePathSegment(match[1]) ?? match[1]) : '';
    const fault = await chaos.apply({ service: 'lambda', operation: match ? 'Invoke' : undefined, body: `${functionName}\n${body.toString('utf8')}` }, false);
    if (fault) return fault;
  }
  const handler = attached();
  if (!handler) return serviceError(503, 'sluice local endpoint: the Lambda runtime is not running (yet)');
  const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, headerValue(value)]));
  try {
    return await handler.handle({ method: req.method ?? 'GET', url: path, headers, body });
  } catch (error) {
    return serviceError(500, `sluice local endpoint: ${messageOf(error)}`);
  }
}
