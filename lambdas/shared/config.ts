import { ConfigurationError } from './errors';

/**
 * Reads a required environment variable.
 *
 * @throws {ConfigurationError} naming the variable, when it is missing or empty.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`environment variable ${name} is not set; the stack sets it on every function that needs it`);
  }
  return value;
}

/** Reads a positive integer environment variable, with a default when it is unset. */
export function intEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`environment variable ${name} must be a positive integer (got "${raw}")`);
  }
  return value;
}
