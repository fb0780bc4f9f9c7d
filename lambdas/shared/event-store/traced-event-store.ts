import type { AppendClaim, ClaimableEventStore, EventStore, NewStoredEvent, ReadStreamOptions, StoredEvent } from './port';

/**
 * An event store whose appends stamp every event's metadata with the request's `traceparent`, so
 * the domain stays free of tracing and the relay republishes the event with the trace it came
 * with. `onStamp` sees each append's events first (the command handler puts their ids in its log keys). Keeps the inner store's claim support (`appendClaimed`) when it has one.
 *
 * @example
 * const store = tracedEventStore(deps.eventStore, trace.traceparent);
 */
export function tracedEventStore<TStore extends EventStore>(
  inner: TStore,
  traceparent: string,
  onStamp: (events: readonly NewStoredEvent[]) => void = () => {},
): TStore {
  const stamp = (events: readonly NewStoredEvent[]): NewStoredEvent[] => {
    const stamped = events.map((event) => ({ ...event, metadata: { ...event.metadata, traceparent } }));
    onStamp(stamped);
    return stamped;
  };
  const traced: EventStore & Partial<Pick<ClaimableEventStore, 'appendClaimed' | 'readClaim'>> = {
    readStream: (streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> => inner.readStream(streamId, options),
    append: (streamId: string, events: readonly NewStoredEvent[], expectedVersion: number) => inner.append(streamId, stamp(events), expectedVersion),
  };
  const claimable = inner as Partial<ClaimableEventStore>;
  if (typeof claimable.appendClaimed === 'function' && typeof claimable.readClaim === 'function') {
    const { appendClaimed, readClaim } = claimable as ClaimableEventStore;
    traced.appendClaimed = (streamId: string, events: readonly NewStoredEvent[], expectedVersion: number, claim: AppendClaim) =>
      appendClaimed.call(inner, streamId, stamp(events), expectedVersion, claim);
    traced.readClaim = (tableName: string, id: string) => readClaim.call(inner, tableName, id);
  }
  return traced as TStore;
}
