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

/** Socket error codes that mean "nothing answered there", with what each one says. */
const CONNECTION_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ECONNRESET: 'the connection was reset',
};

/** SDK error names a user fixes the same way, and how. */
const SDK_HINTS: Readonly<Record<string, string>> = {
  CredentialsProviderError: 'set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any value works for the local cloud)',
  ResourceNotFoundException: 'check that the outputs file (--outputs) and AWS_ENDPOINT_URL/AWS_REGION name the same deployment',
  QueueDoesNotExist: 'check that the outputs file (--outputs) and AWS_ENDPOINT_URL/AWS_REGION name the same deployment',
  'AWS.SimpleQueueService.NonExistentQueue': 'check that the outputs file (--outputs) and AWS_ENDPOINT_URL/AWS_REGION name the same deployment',
  UnrecognizedClientException: 'the credentials are not valid for this endpoint; check AWS_PROFILE or AWS_ACCESS_KEY_ID',
};

/** A failed connection found in an error, its cause chain or an AggregateError's errors (Node tries IPv4 and IPv6). */
export function connectionFailure(error: unknown, depth = 0): { code: string; address?: string } | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as { code?: unknown; address?: unknown; port?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES[e.code]) {
    const inner = Array.isArray(e.errors) ? e.errors.map((x) => connectionFailure(x, depth + 1)).find((x) => x?.address) : undefined;
    const address = typeof e.address === 'string' ? `${e.address}${e.port !== undefined ? `:${String(e.port)}` : ''}` : (inner?.address ?? addressInMessage(error));
    return { code: e.code, ...(address ? { address } : {}) };
  }
  for (const next of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = connectionFailure(next, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function addressInMessage(error: object): string | undefined {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? /(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(message)?.[1] : undefined;
}

/**
 * A one-line description of any error, saying how to fix it where the CLI knows: a refused
 * connection names the address, SDK errors show their name (`ResourceNotFoundException: …`).
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const connection = connectionFailure(error);
  if (connection) {
    return (
      `cannot connect to ${connection.address ?? 'the AWS endpoint'} (${connection.code}: ${CONNECTION_CODES[connection.code]}); ` +
      'start the local cloud (npm start) or set AWS_ENDPOINT_URL to a running endpoint'
    );
  }
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    const hint = SDK_HINTS[error.name] ?? SDK_HINTS[(error as { Code?: string }).Code ?? ''];
    return `${name}${error.message.split('\n')[0]}${hint ? `; ${hint}` : ''}`;
  }
  return String(error);
}
