/**
 * Template features the local cloud cannot run as AWS does, refused when the template is loaded
 * (so at start-up) instead of being silently ignored. Each check is pure and throws a
 * {@link TemplateError} that shows the bad value and says how to fix it.
 */
import { TemplateError } from './intrinsics';

/**
 * Refuses an API method protected by an authorizer (IAM, Cognito, Lambda): the local API cannot
 * enforce it, so the method would be open locally and closed on AWS.
 *
 * @throws TemplateError unless AuthorizationType is NONE (or absent) and no AuthorizerId is set
 */
export function refuseAuthorizer(route: string, authorizationType: unknown, authorizerId: unknown, where: string): void {
  const type = authorizationType === undefined ? 'NONE' : String(authorizationType);
  if (type === 'NONE' && authorizerId === undefined) return;
  throw new TemplateError(
    `API method ${route} uses AuthorizationType ${type}${authorizerId === undefined ? '' : ' with an authorizer'}, which the local API cannot enforce ` +
      '(the method would be open locally and protected on AWS); protect it with an API key (ApiKeyRequired) as sluice does, ' +
      'or run this API on LocalStack or AWS',
    where,
  );
}

/**
 * Refuses a request model that uses the JSON Schema `format` keyword on a method that validates
 * its body. API Gateway's documentation says only that models use JSON Schema draft 4, not which
 * formats its validator checks or how, so the local API cannot promise the same answers.
 *
 * @throws TemplateError naming the first `format` found and where it is in the schema
 */
export function refuseSchemaFormats(route: string, schema: unknown, where: string): void {
  const found = findFormat(schema, '#');
  if (!found) return;
  throw new TemplateError(
    `the request model of API method ${route} uses "format": ${JSON.stringify(found.format)} at ${found.path}; ` +
      'API Gateway does not document which formats its validator checks, so the local API cannot check it the same way: ' +
      'express the rule with "pattern" (checked alike by both) or validate it in the function',
    where,
  );
}

/** The first `format` keyword in a draft-04 schema, looking only where subschemas can be. */
function findFormat(schema: unknown, path: string): { format: unknown; path: string } | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const node = schema as Record<string, unknown>;
  if (node.format !== undefined) return { format: node.format, path: `${path}/format` };
  for (const keyword of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    const map = node[keyword];
    if (map === null || typeof map !== 'object') continue;
    for (const [name, sub] of Object.entries(map)) {
      const hit = findFormat(sub, `${path}/${keyword}/${name}`);
      if (hit) return hit;
    }
  }
  for (const keyword of ['items', 'allOf', 'anyOf', 'oneOf']) {
    const list = node[keyword];
    const subs = Array.isArray(list) ? list.map((sub, i) => [sub, `${path}/${keyword}/${i}`] as const) : [[list, `${path}/${keyword}`] as const];
    for (const [sub, at] of subs) {
      const hit = findFormat(sub, at);
      if (hit) return hit;
    }
  }
  for (const keyword of ['additionalItems', 'additionalProperties', 'not']) {
    const hit = findFormat(node[keyword], `${path}/${keyword}`);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Refuses an SQS mapping whose function may run longer than the queue hides a message, as Lambda
 * does at CreateEventSourceMapping (`InvalidParameterValueException: Queue visibility timeout: 30
 * seconds is less than Function timeout: 60 seconds`).
 *
 * @throws TemplateError in Lambda's words, saying which value to raise
 */
export function refuseVisibilityBelowTimeout(
  mapping: { queueName: string; functionName: string; visibilityTimeoutSeconds: number; functionTimeoutSeconds: number },
  where: string,
): void {
  if (mapping.visibilityTimeoutSeconds >= mapping.functionTimeoutSeconds) return;
  throw new TemplateError(
    `Queue visibility timeout: ${mapping.visibilityTimeoutSeconds} seconds is less than Function timeout: ${mapping.functionTimeoutSeconds} seconds ` +
      `(queue ${mapping.queueName}, function ${mapping.functionName}); AWS refuses this mapping at deploy: ` +
      "raise the queue's VisibilityTimeout to at least the function timeout (AWS recommends six times it) or lower the function timeout",
    where,
  );
}

/**
 * Refuses a mapping on the stream of a table with TTL: on AWS the consumer also receives the
 * REMOVE records of expired items (with `userIdentity` `dynamodb.amazonaws.com`), but DynamoDB
 * Local never expires items ("TTL is currently not supported on DynamoDB local"), so locally
 * those records would silently never come.
 *
 * @throws TemplateError naming the table and its TTL attribute
 */
export function refuseTtlStreamMapping(table: { tableName: string; timeToLiveAttribute?: string }, where: string): void {
  if (!table.timeToLiveAttribute) return;
  throw new TemplateError(
    `this mapping reads the stream of table ${table.tableName}, which has TTL on "${table.timeToLiveAttribute}": on AWS it would also receive ` +
      'the REMOVE records of expired items (userIdentity dynamodb.amazonaws.com), but DynamoDB Local never expires items, so locally they would never come; ' +
      'test TTL-driven processing on LocalStack or AWS, or read a stream of a table without TTL',
    where,
  );
}
