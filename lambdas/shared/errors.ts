/**
 * Base class for every error sluice raises on purpose.
 *
 * Callers branch on `code` (stable, machine readable) or on `instanceof`, never on message text.
 * The HTTP edge maps codes to status codes in one place (`lambdas/shared/http/error-responses.ts`).
 */
export class SluiceError extends Error {
  public readonly code: string;
  public readonly details?: readonly FieldIssue[];

  public constructor(code: string, message: string, options?: ErrorOptions & { details?: readonly FieldIssue[] }) {
    super(message, options);
    this.name = 'SluiceError';
    this.code = code;
    this.details = options?.details;
  }
}

/** One problem with one field of an input, in the shape the HTTP API returns in `details`. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `events.3.data.amount`. */
  readonly field: string;
  readonly message: string;
}

/** The input does not have the shape or values it must have; `details` names each bad field. */
export class ValidationError extends SluiceError {
  public constructor(message: string, details: readonly FieldIssue[] = [], options?: ErrorOptions) {
    super('validation_failed', message, { ...options, details });
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
