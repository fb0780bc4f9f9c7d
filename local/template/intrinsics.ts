import { LOCAL_ACCOUNT, LOCAL_REGION } from '../model';

/** A template the local cloud cannot run, with where in it the problem is. */
export class TemplateError extends Error {
  readonly where: string;

  constructor(message: string, where: string, options?: ErrorOptions) {
    super(`${where}: ${message}`, options);
    this.name = 'TemplateError';
    this.where = where;
  }
}

/** What a stack's intrinsic functions can see. */
export interface ResolveContext {
  readonly stackName: string;
  /** `Ref` of a resource or parameter of this stack. */
  ref(logicalId: string, where: string): string;
  /** `Fn::GetAtt` of a resource of this stack. */
  getAtt(logicalId: string, attribute: string, where: string): string;
  /** `Fn::ImportValue`: the value another stack exports under this name. */
  importValue(exportName: string, where: string): string;
  /** The value of a condition of this stack's `Conditions` (for `Fn::If`). */
  condition(name: string, where: string): boolean;
}

/** The pseudo parameters of the local account and region. */
export const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Marks a property to drop, as `Ref: AWS::NoValue` does. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const SUPPORTED = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::ImportValue', 'Fn::If'];

/**
 * Resolves CloudFormation intrinsic functions in a template value.
 *
 * Supports `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`,
 * `Fn::ImportValue`, `Fn::If` (only the branch its condition picks is resolved, as in
 * CloudFormation) and the pseudo parameters; `Ref: AWS::NoValue` drops the property.
 *
 * @example resolveValue({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] }, ctx, 'Stack/Res/Prop') // 'a-us-east-1'
 * @throws TemplateError naming the unsupported function and where it is
 */
export function resolveValue(value: unknown, ctx: ResolveContext, where: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveValue(item, ctx, `${where}[${i}]`)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    if (key === 'Ref' || key.startsWith('Fn::')) return resolveIntrinsic(key, arg, ctx, `${where}.${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveValue(item, ctx, `${where}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Like {@link resolveValue} but insists on a string (numbers and booleans are stringified, as CloudFormation does). */
export function resolveString(value: unknown, ctx: ResolveContext, where: string): string {
  const resolved = resolveValue(value, ctx, where);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw new TemplateError(`expected a string, got ${JSON.stringify(resolved)}`, where);
}

function resolveIntrinsic(fn: string, arg: unknown, ctx: ResolveContext, where: string): unknown {
  switch (fn) {
    case 'Ref': {
      if (typeof arg !== 'string') throw new TemplateError('Ref takes a logical id or pseudo parameter name', where);
      if (arg === 'AWS::NoValue') return NO_VALUE;
      if (arg === 'AWS::StackName') return ctx.stackName;
      if (arg === 'AWS::StackId') {
        return `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${ctx.stackName}/local`;
      }
      if (arg in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[arg];
      if (arg.startsWith('AWS::')) throw new TemplateError(`unsupported pseudo parameter ${arg}`, where);
      return ctx.ref(arg, where);
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : Array.isArray(arg) ? [arg[0], arg[1]] : [undefined, undefined];
      const attr = typeof attribute === 'string' ? attribute : resolveValue(attribute, ctx, where);
      if (typeof logicalId !== 'string' || typeof attr !== 'string') {
        throw new TemplateError('Fn::GetAtt takes [logicalId, attribute] or "logicalId.attribute"', where);
      }
      return ctx.getAtt(logicalId, attr, where);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new TemplateError('Fn::Join takes [delimiter, [values]]', where);
      const list = resolveValue(arg[1], ctx, `${where}[1]`);
      if (!Array.isArray(list)) throw new TemplateError('Fn::Join needs a list of values', where);
      return list.map((item, i) => stringify(item, `${where}[1][${i}]`)).join(String(arg[0]));
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new TemplateError('Fn::Split takes [delimiter, string]', where);
      return resolveString(arg[1], ctx, `${where}[1]`).split(String(arg[0]));
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new TemplateError('Fn::Select takes [index, [values]]', where);
      const index = Number(resolveValue(arg[0], ctx, `${where}[0]`));
      const list = resolveValue(arg[1], ctx, `${where}[1]`);
      if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new TemplateError(`Fn::Select index ${index} is out of range`, where);
      }
      return list[index];
    }
    case 'Fn::Sub':
      return resolveSub(arg, ctx, where);
    case 'Fn::ImportValue':
      return ctx.importValue(resolveString(arg, ctx, where), where);
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
        throw new TemplateError(`Fn::If takes [conditionName, valueIfTrue, valueIfFalse] (got ${JSON.stringify(arg)})`, where);
      }
      return ctx.condition(arg[0], where) ? resolveValue(arg[1], ctx, `${where}[1]`) : resolveValue(arg[2], ctx, `${where}[2]`);
    }
    default:
      throw new TemplateError(
        `the local cloud does not support ${fn} (supported: ${SUPPORTED.join(', ')}); ` + 'rewrite the construct without it or resolve the value at synth time',
        where,
      );
  }
}

function resolveSub(arg: unknown, ctx: ResolveContext, where: string): string {
  const [template, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [];
  if (typeof template !== 'string' || typeof variables !== 'object' || variables === null) {
    throw new TemplateError('Fn::Sub takes a string or [string, {variables}]', where);
  }
  const vars = variables as Record<string, unknown>;
  return template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return stringify(resolveValue(vars[name], ctx, `${where}.${name}`), `${where}.${name}`);
    if (name.includes('.')) {
      const [logicalId, attribute] = splitOnce(name, '.');
      return ctx.getAtt(logicalId, attribute, where);
    }
    return stringify(resolveIntrinsic('Ref', name, ctx, where), where);
  });
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function stringify(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`expected a string, got ${JSON.stringify(value)}`, where);
}
