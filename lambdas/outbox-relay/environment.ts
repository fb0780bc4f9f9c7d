import { SHARED_ENV } from '../shared/environment';

/** The outbox relay's environment contract: the stack sets each variable, the handler reads it by this name. */
export const OUTBOX_RELAY_ENV = {
  eventsStreamName: SHARED_ENV.eventsStreamName,
  /** When the relay gives an unpublishable record up, whole, to its DLQ (before the stream's 24 h retention). */
  deadLetterAfterSeconds: 'RELAY_DEAD_LETTER_AFTER_SECONDS',
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
