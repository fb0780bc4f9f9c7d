import type { LocalRoute } from '../../../../local/model';
import { RouteTable } from '../../../../local/api/routes';

const route = (method: string, resourcePath: string): LocalRoute => ({
  method,
  resourcePath,
  functionName: `${method} ${resourcePath}`,
  apiKeyRequired: true,
  validateBody: false,
  validateParameters: false,
  requestParameters: {},
});

const table = new RouteTable([
  route('POST', '/events'),
  route('POST', '/accounts'),
  route('GET', '/accounts/{id}'),
  route('GET', '/accounts/{id}/transactions'),
  route('POST', '/accounts/{id}/deposits'),
  route('GET', '/accounts/summary'),
  route('ANY', '/files/{path+}'),
]);

describe('RouteTable', () => {
  it('matches a literal route', () => {
    expect(table.match('POST', '/events')).toMatchObject({ route: { resourcePath: '/events' }, pathParameters: {} });
  });

  it('extracts decoded path parameters', () => {
    expect(table.match('POST', '/accounts/acc%201/deposits')).toMatchObject({ route: { resourcePath: '/accounts/{id}/deposits' }, pathParameters: { id: 'acc 1' } });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(table.match('GET', '/accounts/summary')?.route.resourcePath).toBe('/accounts/summary');
    expect(table.match('GET', '/accounts/other')?.route.resourcePath).toBe('/accounts/{id}');
  });

  it('gives a greedy parameter the rest of the path, for any method', () => {
    expect(table.match('DELETE', '/files/a/b/c.txt')).toMatchObject({ pathParameters: { path: 'a/b/c.txt' } });
  });

  it('ignores a trailing slash', () => {
    expect(table.match('GET', '/accounts/a1/')?.route.resourcePath).toBe('/accounts/{id}');
  });

  it.each([
    ['an unknown path', 'GET', '/nope'],
    ['a known path with another method', 'DELETE', '/events'],
    ['a path with an extra segment', 'GET', '/accounts/a1/transactions/x'],
    ['a path missing a parameter', 'POST', '/accounts//deposits'],
  ])('matches nothing for %s', (_name, method, path) => {
    expect(table.match(method, path)).toBeUndefined();
  });

  it('matches methods case-insensitively', () => {
    expect(table.match('post', '/events')).toBeDefined();
  });
});
