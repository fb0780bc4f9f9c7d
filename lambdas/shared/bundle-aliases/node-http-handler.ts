/**
 * What every sluice function bundles in place of `@smithy/node-http-handler` (the alias in
 * lib/sluice-function.ts `BUNDLE_ALIASES`): the package's own HTTP/1.1 handler and stream collector,
 * and no HTTP/2 handler.
 *
 * The Kinesis client's runtime config imports `NodeHttp2Handler` as its default request handler,
 * so its code (and `node:http2`, loaded at init) was in the ingest, outbox-relay and fraud-detector
 * bundles although sluice gives that client an HTTP/1.1 handler (lambdas/shared/clients.ts
 * `newKinesisClient`, which says why). The stand-in's `NodeHttp2Handler.create` hands back the
 * handler the client was given, as the SDK's does, and refuses to make an HTTP/2 one.
 *
 * The real module is imported by its folder, not by its package name: a package path would be
 * aliased back to this file.
 */
export { DEFAULT_REQUEST_TIMEOUT, NodeHttpHandler, streamCollector } from '../../../node_modules/@smithy/node-http-handler';

/** Thrown when an SDK client would build its own HTTP/2 handler, which sluice bundles leave out. */
export class Http2NotBundledError extends Error {
  public constructor() {
    super(
      'the AWS SDK HTTP/2 request handler is not bundled: give the client an HTTP/1.1 handler (lambdas/shared/clients.ts newKinesisClient), ' +
        'or remove "@smithy/node-http-handler" from BUNDLE_ALIASES in lib/sluice-function.ts for an operation that needs HTTP/2 (Kinesis SubscribeToShard)',
    );
    this.name = 'Http2NotBundledError';
  }
}

/** Stands for the SDK's `NodeHttp2Handler`: only a handler the client was given passes through it. */
export class NodeHttp2Handler {
  /** Same contract as the SDK's for a handler instance (returned as is); options or an options provider are refused. */
  public static create<T>(instanceOrOptions?: T): T {
    if (typeof (instanceOrOptions as { handle?: unknown } | undefined)?.handle === 'function') return instanceOrOptions as T;
    throw new Http2NotBundledError();
  }

  public constructor() {
    throw new Http2NotBundledError();
  }
}
