import { buildOpenApiDocument } from '../../lib/openapi';
import { synthTemplates } from './sluice-app.fixture';

type Resource = { Type: string; Properties: Record<string, any> };
type Operation = { requestBody?: { content: Record<string, { schema: { $ref: string } }> }; parameters: { name: string; in: string; required: boolean }[] };

/** Keywords that document a schema without constraining it; `format` is dropped from models on purpose (lib/api-models.ts). */
const NOT_RULES = new Set(['$schema', 'title', 'description', 'format']);

/** A schema without its documentation keywords, at every depth: what both forms must agree on. */
function rulesOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rulesOf);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !NOT_RULES.has(key))
      .map(([key, value]) => [key, rulesOf(value)]),
  );
}

/** `METHOD /path` → the method resource, with the path rebuilt from the resources' PathPart/ParentId chain. */
function methodsByRoute(resources: Record<string, Resource>): Map<string, Resource> {
  const pathOf = (ref: any): string => {
    if (typeof ref === 'object' && 'Fn::GetAtt' in ref) return '';
    const resource = resources[ref.Ref];
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return new Map(
    Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties.HttpMethod !== 'OPTIONS')
      .map((method) => [`${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId) || '/'}`, method]),
  );
}

// The OpenAPI document and the API Gateway models are both generated from the zod schemas; this
// checks the document against what `cdk deploy` would deploy: the synthesized stateless template.
describe('the OpenAPI document against the deployed API', () => {
  const resources = synthTemplates().stateless.toJSON().Resources as Record<string, Resource>;
  const methods = methodsByRoute(resources);
  const document = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
  const operations = Object.entries(document.paths).flatMap(([route, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => [`${method.toUpperCase()} ${route}`, operation] as const),
  );

  it('has exactly the routes and methods of the API', () => {
    expect(operations.map(([route]) => route).sort()).toEqual([...methods.keys()].sort());
  });

  it.each(operations.map(([route, operation]) => [route, operation] as const))('%s: the request body schema is the deployed model', (route, operation) => {
    const method = methods.get(route)!;
    const ref = operation.requestBody?.content['application/json'].schema.$ref;
    const modelRef = method.Properties.RequestModels?.['application/json'];

    if (ref === undefined) {
      expect(modelRef).toBeUndefined();
      return;
    }
    const model = resources[modelRef.Ref];
    expect(rulesOf(document.components.schemas[ref.replace('#/components/schemas/', '')])).toEqual(rulesOf(model.Properties.Schema));
  });

  it.each(operations.map(([route, operation]) => [route, operation] as const))('%s: the parameters and the API key are the deployed ones', (route, operation) => {
    const method = methods.get(route)!;
    const documented = Object.fromEntries(
      operation.parameters
        .filter((parameter) => parameter.in !== 'header')
        .map((parameter) => [`method.request.${parameter.in === 'query' ? 'querystring' : parameter.in}.${parameter.name}`, parameter.required]),
    );

    expect(documented).toEqual(method.Properties.RequestParameters ?? {});
    expect(method.Properties.ApiKeyRequired).toBe(true);
  });
});
