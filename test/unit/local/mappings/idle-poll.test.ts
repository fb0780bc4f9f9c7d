import { streamIdlePollMs, WOKEN_IDLE_POLL_MS } from '../../../../local/mappings';

describe("stream readers' idle wait", () => {
  const subscription = () => () => undefined;

  it('polls an idle shard about once a second when every write to the source wakes its reader', () => {
    expect(streamIdlePollMs({ onSourceWrite: subscription })).toBe(WOKEN_IDLE_POLL_MS);
    expect(WOKEN_IDLE_POLL_MS).toBe(1000);
  });

  it("keeps the consumer's own default when nothing wakes the readers", () => {
    expect(streamIdlePollMs({})).toBeUndefined();
  });

  it("takes the caller's wait over either", () => {
    expect(streamIdlePollMs({ idlePollMs: 50, onSourceWrite: subscription })).toBe(50);
    expect(streamIdlePollMs({ idlePollMs: 50 })).toBe(50);
  });
});
