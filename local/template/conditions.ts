import { resolveValue, TemplateError, type ResolveContext } from './intrinsics';
import type { CfnResource, CfnTemplate } from './loader';

/** What conditions may see: parameters and pseudo parameters (CloudFormation allows nothing else). */
export type ConditionContext = Pick<ResolveContext, 'stackName' | 'ref'>;

/** A stack's template after its conditions: only the resources and outputs CloudFormation would create. */
export interface ConditionedTemplate {
  readonly template: CfnTemplate;
  /** Each condition's value, by name. */
  readonly conditions: ReadonlyMap<string, boolean>;
  /** Resources left out because their `Condition` is false, with that condition. */
  readonly omitted: ReadonlyArray<{ readonly logicalId: string; readonly type: string; readonly condition: string }>;
}

/**
 * Evaluates a template's `Conditions` as CloudFormation does and drops the resources and outputs
 * whose `Condition` is false.
 *
 * Conditions use `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `{"Condition": name}` over
 * parameters and pseudo parameters; each is evaluated once, in any order of definition.
 *
 * @throws TemplateError for an undefined or circular condition, or a condition function used wrongly
 */
export function applyConditions(template: CfnTemplate, ctx: ConditionContext): ConditionedTemplate {
  const definitions = template.Conditions ?? {};
  const values = new Map<string, boolean>();
  const evaluating = new Set<string>();
  const condition = (name: string, where: string): boolean => {
    const known = values.get(name);
    if (known !== undefined) return known;
    if (!Object.prototype.hasOwnProperty.call(definitions, name)) {
      const defined = Object.keys(definitions);
      throw new TemplateError(`condition "${name}" is not defined in Conditions (defined: ${defined.length ? defined.join(', ') : 'none'})`, where);
    }
    if (evaluating.has(name)) throw new TemplateError(`condition "${name}" refers to itself through ${[...evaluating].join(' → ')}`, where);
    evaluating.add(name);
    const value = evaluateCondition(definitions[name], { ...ctx, condition }, `${ctx.stackName}/Conditions/${name}`);
    evaluating.delete(name);
    values.set(name, value);
    return value;
  };
  for (const name of Object.keys(definitions)) condition(name, `${ctx.stackName}/Conditions/${name}`);

  const omitted: Array<{ logicalId: string; type: string; condition: string }> = [];
  const resources: Record<string, CfnResource> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Condition === undefined || condition(resource.Condition, `${ctx.stackName}/${logicalId}/Condition`)) resources[logicalId] = resource;
    else omitted.push({ logicalId, type: resource.Type, condition: resource.Condition });
  }
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs ?? {}).filter(
      ([name, output]) => output.Condition === undefined || condition(output.Condition, `${ctx.stackName}/Outputs/${name}/Condition`),
    ),
  );
  return { template: { ...template, Resources: resources, Outputs: outputs }, conditions: values, omitted };
}

/**
 * The value of one condition function.
 *
 * @example evaluateCondition({ 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, ctx, 'Stack/Conditions/IsProd')
 */
export function evaluateCondition(value: unknown, ctx: ConditionContext & Pick<ResolveContext, 'condition'>, where: string): boolean {
  const entries = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
  if (entries.length !== 1) {
    throw new TemplateError(`a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name} (got ${JSON.stringify(value)})`, where);
  }
  const [fn, arg] = entries[0];
  const at = `${where}.${fn}`;
  const operands = (min: number, max: number): unknown[] => {
    if (!Array.isArray(arg) || arg.length < min || arg.length > max) {
      throw new TemplateError(`${fn} takes a list of ${min === max ? min : `${min} to ${max}`} conditions (got ${JSON.stringify(arg)})`, at);
    }
    return arg;
  };
  switch (fn) {
    case 'Condition':
      if (typeof arg !== 'string') throw new TemplateError(`Condition takes a condition name (got ${JSON.stringify(arg)})`, at);
      return ctx.condition(arg, at);
    case 'Fn::Equals': {
      const [a, b] = operands(2, 2).map((operand, i) => comparable(resolveValue(operand, { ...ctx, getAtt: noResources, importValue: noResources }, `${at}[${i}]`)));
      return a === b;
    }
    case 'Fn::And':
      return operands(2, 10)
        .map((operand, i) => evaluateCondition(operand, ctx, `${at}[${i}]`))
        .every(Boolean);
    case 'Fn::Or':
      return operands(2, 10)
        .map((operand, i) => evaluateCondition(operand, ctx, `${at}[${i}]`))
        .some(Boolean);
    case 'Fn::Not':
      return !evaluateCondition(operands(1, 1)[0], ctx, `${at}[0]`);
    default:
      throw new TemplateError(`${fn} is not a condition function (use Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name})`, at);
  }
}

/** Fn::Equals compares values as CloudFormation sees them: scalars as strings. */
function comparable(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function noResources(_name: string, _attributeOrWhere: string, where?: string): never {
  throw new TemplateError('conditions can only use parameters and pseudo parameters, not resource attributes or imports', where ?? _attributeOrWhere);
}
