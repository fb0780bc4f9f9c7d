import { Http2NotBundledError, NodeHttp2Handler, NodeHttpHandler, streamCollector } from '../../../../lambdas/shared/bundle-aliases/node-http-handler';

describe('node-http-handler stand-in (bundled in place of @smithy/node-http-handler)', () => {
  it("keeps the package's HTTP/1.1 handler and stream collector", () => {
    expect(new NodeHttpHandler().metadata).toEqual({ handlerProtocol: 'http/1.1' });
    expect(typeof streamCollector).toBe('function');
  });

  it('passes through the handler a client was given, as the SDK does', () => {
    const given = new NodeHttpHandler();
    expect(NodeHttp2Handler.create(given)).toBe(given);
  });

  it('refuses to make an HTTP/2 handler, saying where the HTTP/1.1 one comes from and how to bundle HTTP/2', () => {
    // What the Kinesis client's runtime config passes when it was given no handler: an options provider.
    const provider = async () => ({ disableConcurrentStreams: true });
    for (const make of [() => NodeHttp2Handler.create(provider), () => NodeHttp2Handler.create({}), () => NodeHttp2Handler.create(), () => new NodeHttp2Handler()]) {
      expect(make).toThrow(Http2NotBundledError);
      expect(make).toThrow(/clients\.ts newKinesisClient.*remove "@smithy\/node-http-handler" from BUNDLE_ALIASES in lib\/sluice-function\.ts/);
    }
  });
});
