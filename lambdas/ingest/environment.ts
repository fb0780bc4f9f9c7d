import { SHARED_ENV } from '../shared/environment';

/** The ingest function's environment contract: the stack sets each variable, the handler reads it by this name. */
export const INGEST_ENV = {
  eventsStreamName: SHARED_ENV.eventsStreamName,
  eventTimePastDays: SHARED_ENV.eventTimePastDays,
  eventTimeFutureMinutes: SHARED_ENV.eventTimeFutureMinutes,
} as const;
