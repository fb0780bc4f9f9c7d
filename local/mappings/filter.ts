/**
 * Event filtering for event source mappings: the EventBridge-style pattern subset Lambda accepts
 * in FilterCriteria (exact values, prefix, suffix, equals-ignore-case, exists, numeric,
 * anything-but), applied to a record's filterable view.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Matcher = Json;

/** A parsed filter; a record passes a mapping's filters when any one of them matches. */
export type FilterPattern = { readonly [key: string]: unknown };

/**
 * Parses the mapping's `FilterCriteria.Filters[].Pattern` strings.
 *
 * @throws Error when a pattern is not a JSON object.
 */
export function parseFilterPatterns(patterns: readonly string[]): FilterPattern[] {
  return patterns.map((text) => {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`filter pattern must be a JSON object (got ${text})`);
    }
    return parsed as FilterPattern;
  });
}

/** True when there are no filters or the record matches at least one of them. */
export function passesFilters(filters: readonly FilterPattern[], record: unknown): boolean {
  return filters.length === 0 || filters.some((filter) => matchesPattern(filter, record));
}

/** True when every field of the pattern matches the record. */
export function matchesPattern(pattern: FilterPattern, record: unknown): boolean {
  const fields = record !== null && typeof record === 'object' && !Array.isArray(record) ? (record as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, expected]) => {
    const present = Object.prototype.hasOwnProperty.call(fields, key) && fields[key] !== undefined;
    const actual = present ? fields[key] : undefined;
    if (Array.isArray(expected)) return matchesAny(expected as Matcher[], present, actual);
    if (expected !== null && typeof expected === 'object') {
      return present && matchesPattern(expected as FilterPattern, actual);
    }
    throw new Error(`filter pattern values must be arrays or objects (got ${JSON.stringify(expected)} for "${key}")`);
  });
}

function matchesAny(matchers: readonly Matcher[], present: boolean, actual: unknown): boolean {
  return matchers.some((matcher) => {
    if (isExists(matcher)) return matcher.exists === present;
    if (!present) return false;
    // An array value matches when any element does (EventBridge semantics).
    const values = Array.isArray(actual) ? actual : [actual];
    return values.some((value) => matchesValue(matcher, value));
  });
}

function isExists(matcher: Matcher): matcher is { exists: boolean } {
  return matcher !== null && typeof matcher === 'object' && !Array.isArray(matcher) && 'exists' in matcher;
}

function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  if (Array.isArray(matcher)) return false;
  if ('prefix' in matcher) return matchesPrefix(matcher.prefix, value);
  if ('suffix' in matcher) return typeof value === 'string' && typeof matcher.suffix === 'string' && value.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) {
    const expected = matcher['equals-ignore-case'];
    return typeof value === 'string' && typeof expected === 'string' && value.toLowerCase() === expected.toLowerCase();
  }
  if ('numeric' in matcher) return typeof value === 'number' && matchesNumeric(matcher.numeric, value);
  if ('anything-but' in matcher) return matchesAnythingBut(matcher['anything-but'], value);
  throw new Error(`unsupported filter matcher ${JSON.stringify(matcher)} (supported: values, prefix, suffix, equals-ignore-case, exists, numeric, anything-but)`);
}

function matchesPrefix(prefix: Json, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (typeof prefix === 'string') return value.startsWith(prefix);
  if (prefix !== null && typeof prefix === 'object' && !Array.isArray(prefix) && typeof prefix['equals-ignore-case'] === 'string') {
    return value.toLowerCase().startsWith(prefix['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function matchesNumeric(condition: Json, value: number): boolean {
  if (!Array.isArray(condition) || condition.length % 2 !== 0) {
    throw new Error(`numeric filter must be [operator, number, ...] (got ${JSON.stringify(condition)})`);
  }
  for (let i = 0; i < condition.length; i += 2) {
    const operator = condition[i];
    const operand = condition[i + 1];
    if (typeof operand !== 'number') throw new Error(`numeric filter operand must be a number (got ${JSON.stringify(operand)})`);
    const ok =
      operator === '='
        ? value === operand
        : operator === '<'
          ? value < operand
          : operator === '<='
            ? value <= operand
            : operator === '>'
              ? value > operand
              : operator === '>='
                ? value >= operand
                : undefined;
    if (ok === undefined) throw new Error(`numeric filter operator must be one of =, <, <=, >, >= (got ${JSON.stringify(operator)})`);
    if (!ok) return false;
  }
  return true;
}

function matchesAnythingBut(excluded: Json, value: unknown): boolean {
  if (Array.isArray(excluded)) return !excluded.some((item) => item === value);
  if (excluded !== null && typeof excluded === 'object') {
    if ('prefix' in excluded) return typeof value === 'string' && !matchesPrefix(excluded.prefix, value);
    if ('suffix' in excluded) return typeof value === 'string' && typeof excluded.suffix === 'string' && !value.endsWith(excluded.suffix);
    throw new Error(`unsupported anything-but matcher ${JSON.stringify(excluded)}`);
  }
  return value !== excluded;
}

/** The body as filters see it: parsed JSON when it is JSON, else the plain string. */
export function filterableData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
