/**
 * The guard every local tool shares (everything under `/_sluice/` and the Lambda API): they are for
 * the developer's own programs (SDK, CLI, tests, the console page), never for another web site.
 * A page on another origin can still make the browser send a request to localhost (a form post,
 * a `fetch` in no-cors mode); browsers mark such requests with `Sec-Fetch-Site` and `Origin`. A
 * DNS-rebinding page reaches localhost under its own host name, so the `Host` must be loopback too.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, jsonAnswer, messageOf, writeAnswer, type AnyRequest, type AnyResponse } from './http-answers';
import type { HttpAnswer } from './sqs-query';

/** Origins a local tool trusts: the loopback hosts, any port. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;
/** `Host` headers a local tool trusts: the loopback hosts, any port. */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/**
 * Why a request to a local tool must be refused, or undefined when it may proceed.
 *
 * Refused: a `Host` that is not a loopback name (DNS rebinding), `Sec-Fetch-Site` other than
 * `same-origin` or `none` (typed in the address bar), or an `Origin` that is not a loopback origin.
 * SDKs, the CLI and curl send neither browser header.
 */
export function crossSiteRefusal(headers: IncomingHttpHeaders): string | undefined {
  const host = headerValue(headers.host) ?? headerValue(headers[':authority'] as string | undefined);
  if (host !== undefined && !LOOPBACK_HOST.test(host)) {
    return `the sluice local tools answer only under a loopback host name (Host: ${host}); use localhost or 127.0.0.1`;
  }
  const site = headerValue(headers['sec-fetch-site'])?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `the sluice local tools refuse cross-site browser requests (Sec-Fetch-Site: ${site}); call them from the SDK, the CLI or curl`;
  }
  const origin = headerValue(headers.origin);
  if (origin !== undefined && !LOOPBACK_ORIGIN.test(origin)) {
    return `the sluice local tools refuse requests from other origins (Origin: ${origin}); call them from the SDK, the CLI or curl`;
  }
  return undefined;
}

/** What answers `GET /_sluice/settled`, attached once the runtime runs; `signal` aborts when the client goes away. */
export type SettledHandler = (request: { method: string; url: URL; signal: AbortSignal }) => Promise<{ status: number; body: unknown }>;

/** Answers the settled signal with the attached handler (503 before the runtime runs); a client that leaves aborts the wait. */
export async function answerSettled(handler: SettledHandler | undefined, req: AnyRequest, res: AnyResponse, path: string): Promise<HttpAnswer> {
  if (!handler)
    return jsonAnswer(503, {
      error: 'not_ready',
      message: 'sluice local endpoint: the runtime (functions and mappings) is not running (yet), so nothing can settle',
    });
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  try {
    const answer = await handler({ method: req.method ?? 'GET', url: new URL(path, 'http://localhost'), signal: aborted.signal });
    return jsonAnswer(answer.status, answer.body);
  } catch (error) {
    return jsonAnswer(500, { error: 'internal_error', message: `sluice local endpoint: ${messageOf(error)}` });
  }
}

/**
 * What serves the live console (`/_sluice/console/…`), attached once the runtime runs. It writes
 * the answer itself: the live feed is a Server-Sent Events stream that stays open.
 */
export type ConsoleHandler = (req: AnyRequest, res: AnyResponse, path: string) => void;

/** Hands a console request to the attached handler; 503 before the runtime runs. */
export function answerConsole(handler: ConsoleHandler | undefined, req: AnyRequest, res: AnyResponse, path: string): void {
  if (handler) return handler(req, res, path);
  writeAnswer(
    res,
    jsonAnswer(503, { error: 'not_ready', message: 'sluice local endpoint: the console needs the runtime (functions and mappings), which is not running (yet)' }),
  );
}
