import {
  EventStreamSerde,
  EventStreamsNotBundledError,
  eventStreamSerdeProvider,
  resolveEventStreamSerdeConfig,
} from '../../../../lambdas/shared/bundle-aliases/event-streams';

describe('event-streams stand-in (bundled in place of @smithy/core/event-streams)', () => {
  it('lets a client be configured: the config gains the marshaller its provider returns', () => {
    const config = { region: 'us-east-1', eventStreamSerdeProvider };
    const resolved = resolveEventStreamSerdeConfig(config);
    expect(resolved).toBe(config);
    expect(resolved.eventStreamMarshaller).toBe(eventStreamSerdeProvider());
  });

  it('fails an operation that needs an event stream with an error saying how to bundle them', () => {
    const marshaller = eventStreamSerdeProvider();
    for (const use of [() => marshaller.serialize(), () => marshaller.deserialize(), () => new EventStreamSerde()]) {
      expect(use).toThrow(EventStreamsNotBundledError);
      expect(use).toThrow(/Kinesis SubscribeToShard.*remove "@smithy\/core\/event-streams" from BUNDLE_ALIASES in lib\/sluice-function.ts/);
    }
  });
});
