import { target } from './target';

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * Calls the sluice API over HTTP with the API key, as a user's client would.
 *
 * @example
 * const { status, body } = await api('POST', '/accounts', { owner: 'Ada', currency: 'EUR' });
 */
export function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  return call<T>(method, path, body, { 'x-api-key': target().apiKey, ...headers });
}

/**
 * Calls the sluice API with no `x-api-key` header at all (not an empty or wrong one), as a client
 * that forgot the key does.
 */
export function apiWithoutKey<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  return call<T>(method, path, body, {});
}

async function call<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse<T>> {
  const response = await fetch(`${target().apiUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text so the assertion shows what came back.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
