/**
 * What every sluice function bundles in place of `@smithy/core/event-streams` (the alias in
 * lib/sluice-function.ts `BUNDLE_ALIASES`): AWS SDK v3 event streams serve operations no sluice
 * function calls (Kinesis `SubscribeToShard`, Bedrock or Transcribe streaming), yet every client
 * loads them (`HttpProtocol` for any event-stream member, the Kinesis client statically for its
 * marshaller), about 15 KB of each bundle compiled at every cold start.
 *
 * The exports keep the SDK's names and shapes so the clients build and run every other operation;
 * an operation that does use an event stream fails with {@link EventStreamsNotBundledError}
 * instead of sending anything.
 */

/** Thrown when an SDK operation needs event-stream serialization, which sluice bundles leave out. */
export class EventStreamsNotBundledError extends Error {
  public constructor() {
    super(
      'AWS SDK event streams (e.g. Kinesis SubscribeToShard) are not bundled: remove "@smithy/core/event-streams" from BUNDLE_ALIASES in lib/sluice-function.ts',
    );
    this.name = 'EventStreamsNotBundledError';
  }
}

function notBundled(): never {
  throw new EventStreamsNotBundledError();
}

/** The marshaller a client is built with: it exists, so the client can be constructed, but refuses to marshal. */
const UNAVAILABLE_MARSHALLER = { serialize: notBundled, deserialize: notBundled };

/** The clients' default `eventStreamSerdeProvider` (the Kinesis client's runtime config reads it). */
export const eventStreamSerdeProvider = (): typeof UNAVAILABLE_MARSHALLER => UNAVAILABLE_MARSHALLER;

/** Same contract as the SDK's: the client config gains the marshaller its provider returns. */
export function resolveEventStreamSerdeConfig<T extends { eventStreamSerdeProvider: (config: T) => unknown }>(input: T): T & { eventStreamMarshaller: unknown } {
  return Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });
}

/** What `HttpProtocol` builds (after a dynamic import) only for an operation with an event stream. */
export class EventStreamSerde {
  public constructor() {
    notBundled();
  }
}
