import { matchRoute } from '../../../../lambdas/shared/http/routes';
import { apiEvent } from '../../../helpers/api-gateway-events';

const ROUTES = ['POST /accounts', 'POST /accounts/{id}/deposits', 'GET /accounts/{id}'] as const;

describe('matchRoute', () => {
  it('matches on the API Gateway resource and its path parameters', () => {
    expect(matchRoute(apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }), ROUTES)).toEqual({
      route: 'POST /accounts/{id}/deposits',
      params: { id: 'a1' },
    });
  });

  it('falls back to the concrete path for a proxy resource', () => {
    const event = { ...apiEvent('GET', '/accounts/{id}', { id: 'a b' }), resource: '/{proxy+}', pathParameters: { proxy: 'accounts/a%20b' } };

    expect(matchRoute(event, ROUTES)).toEqual({ route: 'GET /accounts/{id}', params: { id: 'a b' } });
  });

  it('returns undefined for another method or path', () => {
    expect(matchRoute(apiEvent('DELETE', '/accounts'), ROUTES)).toBeUndefined();
    expect(matchRoute({ ...apiEvent('POST', '/x'), resource: '/{proxy+}', path: '/accounts/a1/refunds' }, ROUTES)).toBeUndefined();
  });
});
