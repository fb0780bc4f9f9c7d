import type { SecretGetter } from '../../lambdas/shared/secret-key';

/** A Powertools `getSecret` stand-in that records its calls and answers `value`. */
export function recordingGetter(value: unknown) {
  const calls: Array<[string, { maxAge: number }]> = [];
  const get: SecretGetter = async (name, options) => {
    calls.push([name, options]);
    return value;
  };
  return { get, calls };
}
