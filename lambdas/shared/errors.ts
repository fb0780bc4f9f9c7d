/**
 * The HTTP status of an error the caller can fix (DESIGN.md's HTTP API table). An error without one
 * is ours, not the caller's: the API answers it with 500 `internal_error` and a generic message.
 */
export type ClientErrorStatus = 400 | 404 | 409 | 413 | 415 | 422;

/** What every sluice error may carry besides its code and message. */
export interface SluiceErrorOptions extends ErrorOptions {
  /** The fields at fault, returned as the API body's `details`. */
  readonly details?: readonly FieldIssue[];
  /** The status the HTTP API answers this error with; @default - none: a 500 `internal_error` */
  readonly httpStatus?: ClientErrorStatus;
}

/**
 * Base class for every error sluice raises on purpose.
 *
 * Callers branch on `code` (stable, machine readable) or on `instanceof`, never on message text.
 * Each error says its own HTTP status (`httpStatus`) where it is defined, so the HTTP edge
 * (`lambdas/shared/http/error-responses.ts`) holds no table of codes, and a new error is mapped
 * in the one place that defines it.
 */
export class SluiceError extends Error {
  public readonly code: string;
  public readonly details?: readonly FieldIssue[];
  public readonly httpStatus?: ClientErrorStatus;

  public constructor(code: string, message: string, options?: SluiceErrorOptions) {
    super(message, options);
    this.name = 'SluiceError';
    this.code = code;
    this.details = options?.details;
    this.httpStatus = options?.httpStatus;
  }
}

/** One problem with one field of an input, in the shape the HTTP API returns in `details`. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `events.3.data.amount`. */
  readonly field: string;
  readonly message: string;
}

/** The input does not have the shape or values it must have; `details` names each bad field. HTTP 400. */
export class ValidationError extends SluiceError {
  public constructor(message: string, details: readonly FieldIssue[] = [], options?: ErrorOptions) {
    super('validation_failed', message, { ...options, details, httpStatus: 400 });
    this.name = 'ValidationError';
  }
}

/** A required configuration value (environment variable) is missing or malformed. */
export class ConfigurationError extends SluiceError {
  public constructor(message: string) {
    super('configuration_error', message);
    this.name = 'ConfigurationError';
  }
}
