import { crossSiteRefusal } from '../../../../local/endpoint/local-tools';

describe('crossSiteRefusal', () => {
  it('lets through requests without browser headers (SDK, CLI, curl, Node fetch)', () => {
    expect(crossSiteRefusal({})).toBeUndefined();
    expect(crossSiteRefusal({ 'sec-fetch-mode': 'cors' })).toBeUndefined();
  });

  it('lets through same-origin and address-bar requests, and loopback origins', () => {
    expect(crossSiteRefusal({ 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(crossSiteRefusal({ 'sec-fetch-site': 'none' })).toBeUndefined();
    expect(crossSiteRefusal({ origin: 'http://localhost:4566' })).toBeUndefined();
    expect(crossSiteRefusal({ origin: 'http://127.0.0.1:3000' })).toBeUndefined();
    expect(crossSiteRefusal({ origin: 'http://[::1]:4566' })).toBeUndefined();
  });

  it('refuses cross-site and same-site requests, naming the header value', () => {
    expect(crossSiteRefusal({ 'sec-fetch-site': 'cross-site' })).toMatch(/Sec-Fetch-Site: cross-site/);
    expect(crossSiteRefusal({ 'sec-fetch-site': 'same-site' })).toMatch(/Sec-Fetch-Site: same-site/);
  });

  it('refuses other origins, including look-alikes of localhost', () => {
    expect(crossSiteRefusal({ origin: 'https://evil.example' })).toMatch(/Origin: https:\/\/evil\.example/);
    expect(crossSiteRefusal({ origin: 'http://localhost.evil.example' })).toMatch(/Origin/);
    expect(crossSiteRefusal({ origin: 'null' })).toMatch(/Origin: null/);
  });

  it('lets loopback host names through and refuses any other (DNS rebinding)', () => {
    expect(crossSiteRefusal({ host: 'localhost:4566' })).toBeUndefined();
    expect(crossSiteRefusal({ host: '127.0.0.1:4566' })).toBeUndefined();
    expect(crossSiteRefusal({ host: '[::1]:4566' })).toBeUndefined();
    expect(crossSiteRefusal({ host: 'evil.example:4566' })).toMatch(/Host: evil\.example:4566/);
    expect(crossSiteRefusal({ host: 'localhost.evil.example' })).toMatch(/Host/);
  });
});
