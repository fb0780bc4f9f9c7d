import { consoleRouteOf } from '../../../../local/console/api/routes';
import { ConsoleRefusal } from '../../../../local/console/api/refusal';
import { CONSOLE_ROUTES } from '../../../../local/console/contract';

function refused(method: string, path: string): { status: number; code: string; message: string } {
  try {
    consoleRouteOf(method, path);
  } catch (error) {
    if (error instanceof ConsoleRefusal) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${method} ${path} was routed`);
}

describe('consoleRouteOf', () => {
  it.each([
    ['GET', CONSOLE_ROUTES.page, { kind: 'page' }],
    ['GET', `${CONSOLE_ROUTES.page}/`, { kind: 'page' }],
    ['GET', CONSOLE_ROUTES.topology, { kind: 'topology' }],
    ['GET', CONSOLE_ROUTES.consumers, { kind: 'consumers' }],
    ['GET', CONSOLE_ROUTES.dlqs, { kind: 'dlqs' }],
    ['GET', `${CONSOLE_ROUTES.live}?type=sluice.card.swiped.v1`, { kind: 'live' }],
    ['GET', `${CONSOLE_ROUTES.assets}console.js`, { kind: 'asset', file: 'console.js' }],
    ['GET', `${CONSOLE_ROUTES.trace}01J0000000000000000000000A`, { kind: 'trace', id: '01J0000000000000000000000A' }],
    ['GET', `${CONSOLE_ROUTES.stream}account%23acc-1`, { kind: 'stream', streamId: 'account#acc-1' }],
    ['POST', `${CONSOLE_ROUTES.dlq}notifications/redrive`, { kind: 'redrive', dlq: 'notifications' }],
    ['get', CONSOLE_ROUTES.topology, { kind: 'topology' }],
  ])('routes %s %s', (method, path, route) => {
    expect(consoleRouteOf(method, path)).toEqual(route);
  });

  it('keeps the events query for its filters', () => {
    const route = consoleRouteOf('GET', `${CONSOLE_ROUTES.events}?account=acc-1&limit=5`);
    expect(route.kind === 'events' && Object.fromEntries(route.query)).toEqual({ account: 'acc-1', limit: '5' });
  });

  it.each([
    ['an unknown api route', 'GET', `${CONSOLE_ROUTES.page}/api/nothing`, 404, 'not_found', '/_sluice/console/api/nothing'],
    ['an asset path that climbs', 'GET', `${CONSOLE_ROUTES.assets}..%2Fsecret`, 404, 'not_found', '..%2Fsecret'],
    ['a nested asset path', 'GET', `${CONSOLE_ROUTES.assets}a/b.js`, 404, 'not_found', 'a/b.js'],
    ['a hidden asset', 'GET', `${CONSOLE_ROUTES.assets}.env`, 404, 'not_found', '.env'],
    ['a malformed stream id', 'GET', `${CONSOLE_ROUTES.stream}%E0%A4%A`, 400, 'validation_failed', 'streamId'],
    ['an empty trace id', 'GET', CONSOLE_ROUTES.trace, 400, 'validation_failed', 'trace id'],
    ['a trace id with a space', 'GET', `${CONSOLE_ROUTES.trace}a%20b`, 400, 'validation_failed', 'trace id'],
    ['an empty DLQ name', 'POST', `${CONSOLE_ROUTES.dlq}/redrive`, 400, 'validation_failed', 'DLQ name'],
    ['POST on a GET route', 'POST', CONSOLE_ROUTES.events, 405, 'method_not_allowed', 'use GET'],
    ['GET on redrive', 'GET', `${CONSOLE_ROUTES.dlq}notifications/redrive`, 405, 'method_not_allowed', 'use POST'],
  ])('refuses %s', (_what, method, path, status, code, named) => {
    const refusal = refused(method, path);
    expect({ status: refusal.status, code: refusal.code }).toEqual({ status, code });
    expect(refusal.message).toContain(named);
  });
});
