/**
 * Wake-ups: the mapping pollers subscribe here to hear of each successful write to a stream source
 * (Kinesis PutRecord(s), a DynamoDB item write) that passed through the endpoint, so they read
 * new records at once instead of waiting for their next poll.
 */
import type { SourceWrite } from '../model';

export class SourceWriteListeners {
  private readonly listeners = new Set<(write: SourceWrite) => void>();

  /** Calls `listener` after each successful write to a stream source; returns the unsubscribe function. */
  subscribe(listener: (write: SourceWrite) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(write: SourceWrite): void {
    this.listeners.forEach((listener) => listener(write));
  }
}
