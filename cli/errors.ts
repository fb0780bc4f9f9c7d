/**
 * Errors the CLI reports as one line, without a stack trace.
 *
 * `UsageError` (exit 2) is the user's mistake on the command line; `CliError` (exit 1) is a
 * failure of the work itself (a resource missing, differences found, a function error).
 */
export class CliError extends Error {
  public readonly exitCode: number = 1;

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  public override readonly exitCode: number = 2;

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** True for errors the CLI raised on purpose (their message is meant for the user). */
export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError;
}

/** A one-line description of any error: SDK errors show their name (`ResourceNotFoundException: …`). */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') {
      return `cannot connect (${error.message}); is the local cloud running (npm start) and AWS_ENDPOINT_URL set?`;
    }
    return `${name}${error.message}`.split('\n')[0];
  }
  return String(error);
}
