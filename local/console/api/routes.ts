/**
 * Which console route a request names, from its method and path alone (pure, unit-tested): the
 * page, an asset, or one of the JSON/SSE routes of local/console/contract.ts. A path that names
 * none, or a malformed id in it, is refused here with a 4xx naming it.
 */
import { decodePathSegment } from '../../endpoint/http-answers';
import { CONSOLE_ROUTES } from '../contract';
import { ConsoleRefusal, invalid } from './refusal';

export type ConsoleRoute =
  | { readonly kind: 'page' }
  | { readonly kind: 'asset'; readonly file: string }
  | { readonly kind: 'topology' | 'consumers' | 'dlqs' | 'live' }
  | { readonly kind: 'events'; readonly query: URLSearchParams }
  | { readonly kind: 'trace'; readonly id: string }
  | { readonly kind: 'stream'; readonly streamId: string }
  | { readonly kind: 'redrive'; readonly dlq: string };

/** Asset file names: one path segment of letters, digits, `.`, `_` and `-`, not starting with a dot. */
const ASSET_FILE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
/** Ids in paths (event ids, trace ids, traceparents, stream ids, DLQ names): printable, bounded. */
const PATH_ID = /^[\x21-\x7e]{1,256}$/;

const FIXED: Readonly<Record<string, ConsoleRoute['kind']>> = {
  [CONSOLE_ROUTES.page]: 'page',
  [`${CONSOLE_ROUTES.page}/`]: 'page',
  [CONSOLE_ROUTES.topology]: 'topology',
  [CONSOLE_ROUTES.consumers]: 'consumers',
  [CONSOLE_ROUTES.dlqs]: 'dlqs',
  [CONSOLE_ROUTES.live]: 'live',
  [CONSOLE_ROUTES.events]: 'events',
};

/**
 * The route of one console request.
 *
 * @throws ConsoleRefusal 404 for a path no route serves, 405 for a method the route does not take,
 *   400 for an id that is empty, malformed percent-encoding or not printable ASCII
 */
export function consoleRouteOf(method: string, rawPath: string): ConsoleRoute {
  const url = new URL(rawPath, 'http://localhost');
  const path = url.pathname;
  const verb = method.toUpperCase();
  const fixed = FIXED[path];
  if (fixed) {
    requireMethod(verb, 'GET', path);
    return fixed === 'events' ? { kind: 'events', query: url.searchParams } : ({ kind: fixed } as ConsoleRoute);
  }
  if (path.startsWith(CONSOLE_ROUTES.assets)) {
    requireMethod(verb, 'GET', path);
    const file = path.slice(CONSOLE_ROUTES.assets.length);
    if (!ASSET_FILE.test(file)) throw notAnAsset(file);
    return { kind: 'asset', file };
  }
  if (path.startsWith(CONSOLE_ROUTES.trace)) {
    requireMethod(verb, 'GET', path);
    return { kind: 'trace', id: pathId('trace id', path.slice(CONSOLE_ROUTES.trace.length)) };
  }
  if (path.startsWith(CONSOLE_ROUTES.stream)) {
    requireMethod(verb, 'GET', path);
    return { kind: 'stream', streamId: pathId('streamId', path.slice(CONSOLE_ROUTES.stream.length)) };
  }
  const redrive = new RegExp(`^${CONSOLE_ROUTES.dlq}([^/]*)/redrive$`).exec(path);
  if (redrive) {
    requireMethod(verb, 'POST', path);
    return { kind: 'redrive', dlq: pathId('DLQ name', redrive[1]) };
  }
  throw new ConsoleRefusal(
    404,
    'not_found',
    `no console route ${path}; the console serves ${CONSOLE_ROUTES.page} and its api: ${Object.values(CONSOLE_ROUTES)
      .filter((route) => route.includes('/api/'))
      .join(', ')}`,
  );
}

function requireMethod(verb: string, allowed: 'GET' | 'POST', path: string): void {
  if (verb !== allowed) throw new ConsoleRefusal(405, 'method_not_allowed', `use ${allowed} on ${path} (got ${verb})`);
}

function notAnAsset(file: string): ConsoleRefusal {
  return new ConsoleRefusal(404, 'not_found', `no console asset "${file}"; assets are single file names under ${CONSOLE_ROUTES.assets}`);
}

/** One percent-decoded path segment: the id a route names. */
function pathId(field: string, raw: string): string {
  const decoded = decodePathSegment(raw);
  if (decoded === undefined) throw invalid(field, `in the path is not valid percent-encoding (got "${raw}")`);
  if (!PATH_ID.test(decoded))
    throw invalid(field, `in the path must be 1 to 256 printable ASCII characters without spaces (got ${JSON.stringify(decoded.slice(0, 80))})`);
  return decoded;
}
