import { target } from './target';

/**
 * Whether the suite runs against LocalStack: `npm run test:localstack` sets
 * SLUICE_EXTERNAL_TARGET=localstack, and LocalStack's API URLs are on *.localstack.cloud.
 */
export function onLocalStack(): boolean {
  return process.env.SLUICE_EXTERNAL_TARGET === 'localstack' || target().apiUrl.includes('localstack.cloud');
}

/**
 * Checks the body of an API Gateway *gateway response* (a request API Gateway itself refuses:
 * bad body, bad API key), which differs by target, each as documented:
 * - AWS and the local cloud use the response template the stack sets (lib/ingestion-api.ts), so
 *   the body is `{"error": "<code>", "message": …}` ("Set up gateway responses to customize error
 *   responses", API Gateway developer guide).
 * - LocalStack maps a gateway error to the configured status code only and keeps its default body
 *   (localstack/localstack PR 11062: "the only transformation we are making is to update the status
 *   code of the response"), so there the body is API Gateway's default `{"message": …}` with no `error`.
 * The status code is the caller's to check: it is the same on every target.
 */
export function expectGatewayResponseBody(
  body: { error?: unknown; message?: unknown },
  error: string,
  more: (body: { error?: unknown; message?: unknown }) => void = () => undefined,
): void {
  if (onLocalStack()) {
    expect(body.error).toBeUndefined();
    expect(typeof body.message).toBe('string');
    return;
  }
  expect(body.error).toBe(error);
  more(body);
}
