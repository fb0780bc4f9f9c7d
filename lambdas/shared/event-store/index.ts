export type { EventStore, NewStoredEvent, ReadStreamOptions, Snapshot, SnapshotStore, StoredEvent, StoredEventMetadata } from './port';
export { EventStoreError, MalformedStoredEventError, VersionConflictError } from './errors';
export { parseStoredEvent, storedEventToEnvelope } from './stored-event';
