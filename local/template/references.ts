/**
 * What `Ref`, `Fn::GetAtt`, `Fn::ImportValue` and `{"Condition": …}` resolve to in each stack: the
 * physical identities the resource-type handlers give, parameter defaults, and the exports of
 * every stack of the app.
 */
import { TemplateError, resolveString, type ResolveContext } from './intrinsics';
import type { ConditionedTemplate } from './conditions';
import { handlerOf } from './resource-types';
import type { CfnTemplate, Physical, StackInput } from './template-types';

export interface References {
  /** The resolve context of a stack (made once, on first use). */
  contextOf(stackName: string): ResolveContext;
  /** The physical identity of each resource of a stack, by logical id. */
  physicalOf(stackName: string): ReadonlyMap<string, Physical>;
  /** `https://<restApi>.execute-api.<region>.amazonaws.com/<stage>/...` → the local API's URL; anything else unchanged. */
  localizeApiUrl(value: string): string;
}

/**
 * Names every resource of every stack (through its type's handler) and collects the exports.
 *
 * @param conditioned each stack's template with the resources and outputs its conditions leave out removed
 */
export function buildReferences(
  stacks: readonly StackInput[],
  conditioned: ReadonlyMap<string, ConditionedTemplate>,
  endpoints: { awsEndpoint: string; apiUrl: string },
): References {
  const physical = new Map(stacks.map(({ stackName, template }) => [stackName, physicalIdentities(stackName, template, endpoints.awsEndpoint)]));
  const exportsByName = collectExports(stacks);
  const executeApiIds = [...physical.values()].flatMap((ids) => [...ids.values()].flatMap((id) => (id.executeApiId ? [id.executeApiId] : [])));
  const contexts = new Map<string, ResolveContext>();

  const localizeApiUrl = (value: string): string => {
    for (const id of executeApiIds) {
      const prefix = new RegExp(`^https://${id}\\.execute-api\\.[^/]+/[^/]+/?`);
      if (prefix.test(value)) return value.replace(prefix, endpoints.apiUrl);
    }
    return value;
  };
  const importValue = (exportName: string, where: string): string => {
    const exported = exportsByName.get(exportName);
    if (!exported) throw new TemplateError(`Fn::ImportValue "${exportName}": no stack of this app exports that name`, where);
    return localizeApiUrl(resolveString(exported.value, contextOf(exported.stackName), exported.where));
  };
  const contextOf = (stackName: string): ResolveContext => {
    const existing = contexts.get(stackName);
    if (existing) return existing;
    const context = stackContext(stackName, physical.get(stackName)!, conditioned.get(stackName)!, importValue);
    contexts.set(stackName, context);
    return context;
  };
  return { contextOf, physicalOf: (stackName) => physical.get(stackName)!, localizeApiUrl };
}

/** Physical identities first: every Ref / GetAtt resolves against them. */
function physicalIdentities(stackName: string, template: CfnTemplate, awsEndpoint: string): Map<string, Physical> {
  const ids = new Map<string, Physical>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const props = resource.Properties ?? {};
    const identity = handlerOf(resource.Type)?.identity;
    const explicit = (key: string): string | undefined => (typeof props[key] === 'string' ? (props[key] as string) : undefined);
    ids.set(
      logicalId,
      identity ? identity({ stackName, logicalId, resource, explicit, defaultName: `${stackName}-${logicalId}`, awsEndpoint }) : { ref: logicalId, atts: {} },
    );
  }
  return ids;
}

function collectExports(stacks: readonly StackInput[]): Map<string, { stackName: string; value: unknown; where: string }> {
  const exportsByName = new Map<string, { stackName: string; value: unknown; where: string }>();
  for (const { stackName, template } of stacks) {
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      const exportName = typeof output.Export?.Name === 'string' ? output.Export.Name : undefined;
      if (exportName) exportsByName.set(exportName, { stackName, value: output.Value, where: `${stackName}/Outputs/${name}` });
    }
  }
  return exportsByName;
}

function stackContext(
  stackName: string,
  ids: ReadonlyMap<string, Physical>,
  { template, conditions, omitted }: ConditionedTemplate,
  importValue: (exportName: string, where: string) => string,
): ResolveContext {
  const parameter = parameterRef(stackName, template);
  /** Why a logical id names no resource: CloudFormation refuses a reference to one its condition left out. */
  const missing = (logicalId: string): string => {
    const left = omitted.find((o) => o.logicalId === logicalId);
    return left ? `, which is not created because its condition "${left.condition}" is false (reference it only under Fn::If of the same condition)` : '';
  };
  return {
    stackName,
    ref(logicalId, where) {
      const found = ids.get(logicalId);
      if (found) return found.ref;
      const why = missing(logicalId);
      if (why) throw new TemplateError(`Ref to "${logicalId}"${why}`, where);
      return parameter(logicalId, where);
    },
    getAtt(logicalId, attribute, where) {
      const found = ids.get(logicalId);
      if (!found) throw new TemplateError(`Fn::GetAtt of "${logicalId}"${missing(logicalId) || `, which is not a resource of ${stackName}`}`, where);
      const value = found.atts[attribute];
      if (value !== undefined) return value;
      const known = Object.keys(found.atts);
      const offers = known.length ? ` (this resource offers ${known.join(', ')})` : ' (this resource type offers no attributes locally)';
      throw new TemplateError(`Fn::GetAtt ${logicalId}.${attribute} is not supported locally${offers}`, where);
    },
    importValue,
    condition(name, where) {
      const value = conditions.get(name);
      if (value === undefined) {
        throw new TemplateError(`condition "${name}" is not defined in Conditions (defined: ${[...conditions.keys()].join(', ') || 'none'})`, where);
      }
      return value;
    },
  };
}

/** `Ref` of a parameter: its default (the local cloud takes no parameter values). */
export function parameterRef(stackName: string, template: CfnTemplate): (name: string, where: string) => string {
  const parameters = template.Parameters ?? {};
  return (name, where) => {
    if (Object.prototype.hasOwnProperty.call(parameters, name) && parameters[name].Default !== undefined) return String(parameters[name].Default);
    throw new TemplateError(`Ref to "${name}", which is neither a resource nor a parameter with a default in ${stackName}`, where);
  };
}
