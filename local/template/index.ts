export {
  buildLocalApp,
  loadLocalApp,
  readCloudAssembly,
  withStreamArns,
  ON_DEMAND_SHARDS,
  PENDING_STREAM_SUFFIX,
} from './loader';
export type { CfnResource, CfnTemplate, LoadOptions, StackInput, FunctionNaming } from './loader';
export { RESOURCE_TYPES } from './resource-types';
export type { ResourceTypeHandler } from './resource-handler';
export { resolveString, resolveValue, TemplateError, NO_VALUE, PSEUDO_PARAMETERS } from './intrinsics';
export type { ResolveContext } from './intrinsics';
export { applyConditions, evaluateCondition } from './conditions';
export type { ConditionContext, ConditionedTemplate } from './conditions';
export { refuseAuthorizer, refuseSchemaFormats, refuseTtlStreamMapping, refuseVisibilityBelowTimeout } from './refusals';
export { notEmulatedLines, notEmulatedTypes, UNKNOWN_TYPE_REASON } from './not-emulated';
