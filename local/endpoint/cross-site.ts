/**
 * Cross-site browser requests to the local tools (`/_sluice/*`, the Lambda API).
 *
 * A web page the developer opens can make the browser send requests to localhost. Browsers add an
 * `Origin` header (and `Sec-Fetch-Site`) to cross-site requests; SDKs, the CLI and curl send
 * neither. A DNS-rebinding page reaches us under its own host name, so the `Host` must be a
 * loopback name as well. Anything else is refused before it is routed.
 */
import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0].toLowerCase();
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when a request comes from a browser page on another site, or under a non-loopback host name.
 *
 * @example
 * if (isCrossSiteRequest(req)) return sendJson(res, 403, { message: 'cross-site requests are refused' });
 */
export function isCrossSiteRequest(req: { readonly headers: IncomingHttpHeaders }): boolean {
  const host = first(req.headers.host) ?? first(req.headers[':authority'] as string | undefined);
  if (host !== undefined && !LOOPBACK_HOSTS.has(hostName(host))) return true;
  const fetchSite = first(req.headers['sec-fetch-site']);
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = first(req.headers.origin);
  if (origin === undefined) return false;
  try {
    return !LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return true; // `Origin: null` (sandboxed frames, file://) and garbage are cross-site.
  }
}
