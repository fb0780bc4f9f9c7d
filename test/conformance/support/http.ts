import * as http from 'node:http';
import * as https from 'node:https';
import { OUTPUT } from '../app/scenarios';
import { apiKey, output } from './target';

export interface ApiResponse {
  readonly status: number;
  /** Header values by lower-case name; repeated header lines keep every value. */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface ApiRequest {
  /** Sent as-is, so a header may repeat: `[['x-multi', 'a'], ['x-multi', 'b']]`. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Buffer;
  /** The API key to send: the probe API's key by default; `null` sends none. */
  readonly key?: string | null;
  /**
   * Retry a 429 (usage plan throttling) a few times, as a client should, so that a test about
   * something else is not failed by another test's burst. @default true
   */
  readonly retryThrottled?: boolean;
}

const THROTTLE_RETRIES = 8;

/**
 * Calls the probe API, retrying throttled requests with a growing pause unless told not to.
 *
 * @example
 * const response = await api('GET', 'echo/abc?x=1');
 */
export async function api(method: string, pathAndQuery: string, request: ApiRequest = {}): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await sendTolerantOfEarlyClose(method, pathAndQuery, request);
    if (response.status !== 429 || request.retryThrottled === false || attempt > THROTTLE_RETRIES) return response;
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/**
 * A server that refuses a large body (413) may close the connection while the body is still being
 * written; the client then sees EPIPE/ECONNRESET instead of the answer. Sending again gets it.
 */
async function sendTolerantOfEarlyClose(method: string, pathAndQuery: string, request: ApiRequest): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(method, pathAndQuery, request);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw error;
    }
  }
}

/** One request over plain node:http(s), which (unlike fetch) keeps repeated headers apart. */
function send(method: string, pathAndQuery: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const url = new URL(pathAndQuery, output(OUTPUT.apiUrl).replace(/\/?$/, '/'));
  const key = request.key === undefined ? apiKey() : request.key;
  // Raw header arrays get no defaults from Node: the Host header is ours to send.
  const headers: string[] = ['host', url.host];
  for (const [name, value] of [...(key === null ? [] : [['x-api-key', key] as const]), ...(request.headers ?? [])]) headers.push(name, value);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
  if (body) headers.push('content-length', String(body.length));
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = transport.request(url, { method, headers, agent: false }, (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const grouped: Record<string, string[]> = {};
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) (grouped[incoming.rawHeaders[i].toLowerCase()] ??= []).push(incoming.rawHeaders[i + 1]);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: incoming.statusCode ?? 0, headers: grouped, text, json: <T>() => JSON.parse(text) as T });
      });
      incoming.on('error', reject);
    });
    // A gateway may answer (413) and close before a large body is sent: that answer is the result.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    void writeBody(outgoing, body, () => answered);
  });
}

/** Writes the body in chunks, stopping once the server has answered. */
async function writeBody(outgoing: http.ClientRequest, body: Buffer | undefined, answered: () => boolean): Promise<void> {
  const CHUNK = 256 * 1024;
  for (let offset = 0; body && offset < body.length && !answered() && !outgoing.destroyed; offset += CHUNK) {
    if (!outgoing.write(body.subarray(offset, offset + CHUNK))) {
      await new Promise<void>((resolve) => {
        outgoing.once('drain', resolve);
        outgoing.once('close', resolve);
      });
    }
  }
  if (!outgoing.destroyed) outgoing.end();
}
