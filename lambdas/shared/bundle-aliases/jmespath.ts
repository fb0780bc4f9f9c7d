/**
 * What every sluice function bundles in place of `@aws-lambda-powertools/jmespath` (the aliases in
 * lib/sluice-function.ts `BUNDLE_ALIASES`): Powertools idempotency selects the key and the
 * validated payload with JMESPath, a whole expression parser and interpreter (about 23 KB of each
 * bundle that uses idempotency), while sluice's expressions are only a field (`notificationId`,
 * `body`) or a list of fields (`[scope, key]`). This evaluates exactly those two forms as the
 * Powertools interpreter does (a field of anything but a plain object is `null`; a list of fields
 * of `null` is `null`), so the stored records' keys and payload hashes do not change; any other
 * expression fails with {@link JmesPathNotBundledError} instead of selecting something else.
 *
 * @example
 * search('[scope, key]', { scope: 'POST /accounts/a1/deposits', key: 'k1', body: {} }); // ['POST /accounts/a1/deposits', 'k1']
 */

/** Thrown for an expression beyond a field or a list of fields. */
export class JmesPathNotBundledError extends Error {
  public constructor(expression: string) {
    super(
      `JMESPath expression "${expression}" is not supported by the bundled stand-in (a field "name" or a list of fields "[a, b]" only): ` +
        'use one of those, or remove "@aws-lambda-powertools/jmespath" from BUNDLE_ALIASES in lib/sluice-function.ts',
    );
    this.name = 'JmesPathNotBundledError';
  }
}

const FIELD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const FIELD_LIST = /^\s*\[\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:,\s*[A-Za-z_][A-Za-z0-9_]*\s*)*\]\s*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

function field(name: string, data: unknown): unknown {
  return isPlainObject(data) && name in data ? data[name] : null;
}

/**
 * Evaluates `expression` against `data`: a field or a list of fields (JMESPath identifiers).
 *
 * @throws {JmesPathNotBundledError} for any other expression
 */
export function search(expression: string, data: unknown): unknown {
  const single = FIELD.exec(expression);
  if (single) return field(single[1], data);
  if (!FIELD_LIST.test(expression)) throw new JmesPathNotBundledError(expression);
  if (data === null) return null;
  const names = expression.trim().slice(1, -1).split(',');
  return names.map((name) => field(name.trim(), data));
}

/** What `IdempotencyConfig` builds by default (`@aws-lambda-powertools/jmespath/functions`); {@link search} calls no functions. */
export class PowertoolsFunctions {}
