import { SHARED_ENV } from '../shared/environment';

/** The fraud detector's environment contract: the stack sets each variable, the handler reads it by this name. */
export const FRAUD_DETECTOR_ENV = {
  eventsStreamName: SHARED_ENV.eventsStreamName,
  fraudWindowsTableName: 'FRAUD_WINDOWS_TABLE_NAME',
  /** The rules' thresholds (defaults in `rulesFromEnv`). */
  windowSeconds: 'FRAUD_WINDOW_SECONDS',
  maxSwipes: 'FRAUD_MAX_SWIPES',
  maxCountries: 'FRAUD_MAX_COUNTRIES',
  eventTimePastDays: SHARED_ENV.eventTimePastDays,
  eventTimeFutureMinutes: SHARED_ENV.eventTimeFutureMinutes,
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
