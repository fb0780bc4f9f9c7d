/**
 * The page's HTTP calls to the console routes (same origin as the page, so the local tools'
 * cross-site guard lets them through). A refused call throws with the route's own message.
 */

/** A console route answered with a 4xx/5xx; `message` is the route's `{error, message}` text. */
export class ConsoleRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRequestError';
  }
}

/**
 * Calls a console route and returns its JSON answer.
 *
 * @throws ConsoleRequestError with the status and the route's message when it refuses
 */
export async function callJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = parseJson(text);
  if (!response.ok) {
    const message = (parsed as { message?: unknown } | undefined)?.message;
    throw new ConsoleRequestError(response.status, `${method} ${path} answered ${response.status}: ${typeof message === 'string' ? message : text}`);
  }
  return parsed as T;
}

/** GET a console route. */
export const getJson = <T>(path: string): Promise<T> => callJson<T>('GET', path);

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** The message of anything thrown, for the page to show. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
