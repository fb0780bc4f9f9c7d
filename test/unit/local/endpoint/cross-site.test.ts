import { isCrossSiteRequest } from '../../../../local/endpoint/cross-site';

describe('isCrossSiteRequest', () => {
  it.each([
    ['an SDK or curl call (no Origin)', { host: 'localhost:4566' }],
    ['a same-origin page', { host: '127.0.0.1:4566', origin: 'http://127.0.0.1:4566', 'sec-fetch-site': 'same-origin' }],
    ['the console on another local port', { host: 'localhost:4566', origin: 'http://localhost:3000' }],
    ['an IPv6 loopback host', { host: '[::1]:4566' }],
  ])('lets %s through', (_, headers) => {
    expect(isCrossSiteRequest({ headers })).toBe(false);
  });

  it.each([
    ['a page on another site', { host: 'localhost:4566', origin: 'https://evil.example' }],
    ['a DNS-rebinding host name', { host: 'evil.example:4566' }],
    ['Origin: null', { host: 'localhost:4566', origin: 'null' }],
    ['a cross-site fetch without Origin', { host: 'localhost:4566', 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s', (_, headers) => {
    expect(isCrossSiteRequest({ headers })).toBe(true);
  });
});
