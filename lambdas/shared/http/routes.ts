import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SluiceError } from '../errors';

/** No route of this function matches the request's method and path. HTTP 404. */
export class RouteNotFoundError extends SluiceError {
  public constructor(method: string, path: string) {
    super('route_not_found', `no route for ${method} ${path}; see the HTTP API routes in the README`, { httpStatus: 404 });
    this.name = 'RouteNotFoundError';
  }
}

/** A matched route: its pattern (`'POST /accounts/{id}/deposits'`) and path parameters. */
export interface RouteMatch<TRoute extends string> {
  readonly route: TRoute;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Finds which of the given routes a REST API proxy event is for.
 *
 * API Gateway names the matched resource in `resource`; when it is not one of ours (a greedy
 * `{proxy+}` resource, an emulator) the concrete `path` is matched against the patterns instead.
 *
 * @example
 * matchRoute(event, ['POST /accounts', 'POST /accounts/{id}/deposits'] as const)
 * // { route: 'POST /accounts/{id}/deposits', params: { id: 'a1' } }
 */
export function matchRoute<TRoute extends string>(
  event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource' | 'path' | 'pathParameters'>,
  routes: readonly TRoute[],
): RouteMatch<TRoute> | undefined {
  const method = event.httpMethod.toUpperCase();
  const byResource = routes.find((route) => route === `${method} ${event.resource}`);
  if (byResource) {
    const params = Object.fromEntries(Object.entries(event.pathParameters ?? {}).flatMap(([key, value]) => (value === undefined ? [] : [[key, value]])));
    return { route: byResource, params };
  }
  for (const route of routes) {
    const params = matchPath(route, method, event.path);
    if (params) return { route, params };
  }
  return undefined;
}

function matchPath(route: string, method: string, path: string): Record<string, string> | undefined {
  const [routeMethod, pattern] = route.split(' ');
  if (routeMethod !== method) return undefined;
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name) {
      const value = safeDecode(got[index]);
      if (value === undefined) return undefined;
      params[name] = value;
    } else if (segment !== got[index]) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
