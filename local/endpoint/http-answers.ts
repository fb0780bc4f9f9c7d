/**
 * Reading requests and writing answers on either protocol the endpoint speaks (HTTP/1.1 and
 * HTTP/2 share Node's compatibility API), so no handler deals with the difference or with a
 * client that already went away.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import type { HttpAnswer } from './sqs-query';

export type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/** The first value of a header that may be repeated. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The whole request body; rejects when the request is aborted mid-body. */
export function readBody(req: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a complete answer, unless one has started or the client is gone. */
export function writeAnswer(res: AnyResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  (res as http.ServerResponse).writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** A JSON answer with the given content type. */
export function jsonAnswer(status: number, body: unknown, contentType = 'application/json'): HttpAnswer {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

/** An answer in the AWS JSON 1.1 protocol (what the emulators' own errors look like). */
export function sendJson(res: AnyResponse, status: number, body: unknown): void {
  writeAnswer(res, jsonAnswer(status, body, 'application/x-amz-json-1.1'));
}

/** A path segment percent-decoded, or undefined when its encoding is malformed (`%E0%A4%A`). */
export function decodePathSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** What an error says, whatever was thrown (a rejection may carry any value). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The answer to a request whose handler failed: a 500 JSON error with the cause, or, when the
 * answer has already started, a destroyed stream (the client sees a reset, the endpoint runs on).
 */
export function failRequest(res: AnyResponse, error: unknown): void {
  const message = messageOf(error);
  try {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { __type: 'InternalFailure', error: 'internal_error', message: `sluice local endpoint: the request failed inside the endpoint: ${message}` });
  } catch {
    res.destroy();
  }
}

/**
 * Reads the body, then lets `answer` produce the answer and writes it. A body that cannot be read
 * (the client aborted) closes that stream; whatever `answer` throws or rejects with becomes a 500
 * on this request alone (see {@link failRequest}).
 */
export function answerWithBody(req: AnyRequest, res: AnyResponse, answer: (body: Buffer) => Promise<HttpAnswer | undefined> | HttpAnswer | undefined): void {
  readBody(req)
    .then(
      async (body) => {
        const result = await answer(body);
        if (result) writeAnswer(res, result);
      },
      () => {
        res.destroy();
      },
    )
    .catch((error: unknown) => failRequest(res, error));
}

/** Writes the answer `work` produces; a rejection becomes a 500 on this request alone (see {@link failRequest}). */
export function answerLater(res: AnyResponse, work: () => Promise<HttpAnswer>): void {
  work()
    .then((answer) => writeAnswer(res, answer))
    .catch((error: unknown) => failRequest(res, error));
}
