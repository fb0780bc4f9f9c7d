/**
 * Request validation as API Gateway does it: required request parameters, and the JSON body
 * against the method's draft-04 model, with error strings in API Gateway's own wording (it uses
 * the java json-schema-validator messages, e.g. `object has missing required properties (["owner"])`).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly messageString: string; readonly validationErrorString: string };

/** Checks the `method.request.(path|querystring|header).<name>` parameters marked required. */
export function validateParameters(
  required: Readonly<Record<string, boolean>>,
  request: { pathParameters: Readonly<Record<string, string>>; query: Readonly<Record<string, string>>; headers: Readonly<Record<string, string>> },
): ValidationResult {
  const missing: string[] = [];
  for (const [key, isRequired] of Object.entries(required)) {
    if (!isRequired) continue;
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!match) continue;
    const [, where, name] = match;
    const value = where === 'path' ? request.pathParameters[name] : where === 'querystring' ? request.query[name] : request.headers[name.toLowerCase()];
    if (value === undefined || value === '') missing.push(name);
  }
  if (missing.length === 0) return { ok: true };
  const message = `Missing required request parameters: [${missing.join(', ')}]`;
  return { ok: false, messageString: message, validationErrorString: message };
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateSchema: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** Validates a request body (text) against a draft-04 schema. An empty body is validated as `{}`. */
export function validateBody(schema: Record<string, unknown>, body: string): ValidationResult {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, messageString: 'Invalid request body', validationErrorString: `[Invalid JSON in request body: ${reason}]` };
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return { ok: true };
  return { ok: false, messageString: 'Invalid request body', validationErrorString: formatValidationErrors(validate.errors ?? []) };
}

/** `[message, message]`, one message per failed keyword, in API Gateway's wording. */
export function formatValidationErrors(errors: readonly ErrorObject[]): string {
  // Errors inside a failed anyOf/oneOf are reported only through that keyword, as API Gateway does.
  const combinators = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf').map((error) => error.schemaPath);
  const relevant = errors.filter((error) => !combinators.some((path) => error.schemaPath.startsWith(`${path}/`)));
  const messages: string[] = [];
  const grouped = new Map<string, string[]>();
  for (const error of relevant) {
    if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
      const key = `${error.keyword}@${error.instancePath}`;
      const names = grouped.get(key);
      const name = error.keyword === 'required' ? String(error.params.missingProperty) : String(error.params.additionalProperty);
      if (names) {
        names.push(name);
        continue;
      }
      grouped.set(key, [name]);
      messages.push(key);
      continue;
    }
    messages.push(messageFor(error));
  }
  const rendered = messages.map((message) => {
    const names = grouped.get(message);
    if (!names) return message;
    const list = JSON.stringify([...names].sort());
    return message.startsWith('required@')
      ? `object has missing required properties (${list})`
      : `object instance has properties which are not allowed by the schema: ${list}`;
  });
  return `[${rendered.join(', ')}]`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function messageFor(error: ErrorObject): string {
  const data = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const allowed = String(params.type).split(',').sort();
      return `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(allowed)})`;
    }
    case 'minimum':
      return params.exclusive
        ? `numeric instance is not strictly greater than the required minimum ${String(params.limit)}`
        : `numeric instance is lower than the required minimum (minimum: ${String(params.limit)}, found: ${String(data)})`;
    case 'maximum':
      return params.exclusive
        ? `numeric instance is not strictly lower than the required maximum ${String(params.limit)}`
        : `numeric instance is greater than the required maximum (maximum: ${String(params.limit)}, found: ${String(data)})`;
    case 'minLength':
      return `string ${JSON.stringify(data)} is too short (length: ${[...String(data)].length}, required minimum: ${String(params.limit)})`;
    case 'maxLength':
      return `string ${JSON.stringify(data)} is too long (length: ${[...String(data)].length}, maximum allowed: ${String(params.limit)})`;
    case 'pattern':
      return `ECMA 262 regex ${JSON.stringify(params.pattern)} does not match input string ${JSON.stringify(data)}`;
    case 'enum':
      return `instance value (${JSON.stringify(data)}) not found in enum (possible values: ${JSON.stringify(params.allowedValues)})`;
    case 'minItems':
      return `array is too short: must have at least ${String(params.limit)} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${String(params.limit)} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    case 'minProperties':
      return `object has too few properties (found ${Object.keys(data ?? {}).length} but schema requires at least ${String(params.limit)})`;
    case 'maxProperties':
      return `object has too many properties (found ${Object.keys(data ?? {}).length} but schema requires at most ${String(params.limit)})`;
    case 'multipleOf':
      return `numeric instance is not a multiple of divisor (divisor: ${String(params.multipleOf)}, found: ${String(data)})`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'anyOf':
      return `instance failed to match at least one required schema among ${Array.isArray(error.schema) ? error.schema.length : '?'}`;
    case 'oneOf':
      return `instance failed to match exactly one schema (matched ${params.passingSchemas === null ? 0 : Array.isArray(params.passingSchemas) ? params.passingSchemas.length : 1} out of ${Array.isArray(error.schema) ? error.schema.length : '?'})`;
    case 'not':
      return 'instance matched a schema which it should not have';
    case 'format':
      return `string ${JSON.stringify(data)} is invalid against requested ${String(params.format)} format`;
    default:
      return `${error.instancePath || 'instance'} ${error.message ?? 'is invalid'}`;
  }
}
