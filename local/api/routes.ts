/**
 * API Gateway REST resource matching: literal path segments win over `{param}`, which win over
 * a greedy `{proxy+}`; a known path with an undefined method is treated like an unknown path
 * (API Gateway answers both with MISSING_AUTHENTICATION_TOKEN).
 */
import type { LocalRoute } from '../model';

export interface RouteMatch {
  readonly route: LocalRoute;
  /** Decoded path parameter values by name; empty when the resource has none. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

type Segment =
  { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'param'; readonly name: string } | { readonly kind: 'greedy'; readonly name: string };

function parseResourcePath(resourcePath: string): Segment[] {
  return splitPath(resourcePath).map((part) => {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) return { kind: 'greedy', name: greedy[1] };
    const param = /^\{(.+)\}$/.exec(part);
    if (param) return { kind: 'param', name: param[1] };
    return { kind: 'literal', value: part };
  });
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/** Lower is more specific: compared segment by segment (literal 0, param 1, greedy 2). */
function specificity(segments: readonly Segment[]): number[] {
  return segments.map((segment) => (segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2));
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      params[segment.name] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (i >= parts.length) return undefined;
    if (segment.kind === 'literal') {
      if (safeDecode(parts[i]) !== segment.value) return undefined;
    } else {
      params[segment.name] = safeDecode(parts[i]);
    }
  }
  return segments.length === parts.length ? params : undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The routes of one REST API, ready to match requests. */
export class RouteTable {
  private readonly entries: ReadonlyArray<{ route: LocalRoute; segments: Segment[]; rank: number[] }>;

  constructor(routes: readonly LocalRoute[]) {
    this.entries = routes
      .map((route) => ({ route, segments: parseResourcePath(route.resourcePath), rank: specificity(parseResourcePath(route.resourcePath)) }))
      .sort((a, b) => compareSpecificity(a.rank, b.rank));
  }

  /** The route for a method and a request path (no query string), or undefined. */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = splitPath(path);
    const upper = method.toUpperCase();
    // The most specific resource that matches the path decides; then its method (or ANY).
    for (const entry of this.entries) {
      const params = matchSegments(entry.segments, parts);
      if (!params) continue;
      const sameResource = this.entries.filter((candidate) => candidate.route.resourcePath === entry.route.resourcePath);
      const chosen =
        sameResource.find((candidate) => candidate.route.method.toUpperCase() === upper) ??
        sameResource.find((candidate) => candidate.route.method.toUpperCase() === 'ANY');
      return chosen ? { route: chosen.route, pathParameters: params } : undefined;
    }
    return undefined;
  }
}
