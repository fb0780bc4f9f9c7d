/**
 * The environment variables that carry the query function's cursor signing key, named once for
 * the stack (which sets the ARN), the function (which reads either) and the infra tests. Kept free
 * of imports so the CDK app can use it without loading the SDK.
 */
export const CURSOR_KEY_ENV = {
  /** Set by the stack: the ARN of the Secrets Manager secret that holds the key. */
  secretArn: 'CURSOR_KEY_SECRET_ARN',
  /** Set by the local cloud instead (no Secrets Manager there): the key itself. */
  value: 'CURSOR_KEY',
} as const;
