/**
 * The template loader: turns synthesized stacks into a {@link LocalApp}. It knows no resource type
 * and no app: each CloudFormation type is built by its handler in resource-types.ts, and anything
 * app-specific (how functions are named in logs) is injected through {@link LoadOptions}.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalApp } from '../model';
import { resolveString, resolveValue } from './intrinsics';
import { applyConditions, type ConditionedTemplate } from './conditions';
import { notEmulatedTypes } from './not-emulated';
import { PENDING_STREAM_SUFFIX } from './data-resources';
import { buildReferences, parameterRef, type References } from './references';
import { appFromParts, BUILD_PHASES, type AppParts, type LoaderScope } from './resource-handler';
import { handlerOf } from './resource-types';
import type { CfnTemplate, LoadOptions, StackInput } from './template-types';

export type { CfnResource, CfnTemplate, LoadOptions, StackInput, FunctionNaming } from './template-types';
export { ON_DEMAND_SHARDS, PENDING_STREAM_SUFFIX } from './data-resources';

/**
 * Reads a cloud assembly (`cdk.out`): every CloudFormation stack in `manifest.json`, in order.
 *
 * @throws when the manifest or a template is missing (run `npx cdk synth`)
 */
export function readCloudAssembly(cloudAssemblyDir: string): StackInput[] {
  const manifestPath = path.join(cloudAssemblyDir, 'manifest.json');
  let manifest: { artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${manifestPath}: run \`npx cdk synth\` first`, { cause: error });
  }
  const stacks: StackInput[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const templatePath = path.join(cloudAssemblyDir, artifact.properties.templateFile);
    stacks.push({
      stackName: artifact.properties.stackName ?? artifactId,
      template: JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate,
    });
  }
  if (stacks.length === 0) throw new Error(`${manifestPath} lists no CloudFormation stacks`);
  return stacks;
}

/** Loads `cdk.out` into a {@link LocalApp}. */
export function loadLocalApp(cloudAssemblyDir: string, options: LoadOptions): LocalApp {
  return buildLocalApp(readCloudAssembly(cloudAssemblyDir), { ...options, cloudAssemblyDir });
}

/**
 * Turns synthesized stacks into a {@link LocalApp}: physical names (`<stackName>-<logicalId>` unless
 * the template names the resource), resolved environment variables, mappings with AWS defaults,
 * the REST API's routes, and each stack's outputs.
 *
 * @throws TemplateError for intrinsics or references the local cloud cannot resolve
 */
export function buildLocalApp(synthesized: readonly StackInput[], options: LoadOptions & { readonly cloudAssemblyDir: string }): LocalApp {
  // Conditions first: a resource or output whose condition is false does not exist at all.
  const conditioned = new Map<string, ConditionedTemplate>(
    synthesized.map(({ stackName, template }) => [stackName, applyConditions(template, { stackName, ref: parameterRef(stackName, template) })]),
  );
  const stacks: StackInput[] = synthesized.map(({ stackName }) => ({ stackName, template: conditioned.get(stackName)!.template }));
  const references = buildReferences(stacks, conditioned, { awsEndpoint: options.awsEndpoint.replace(/\/+$/, ''), apiUrl: `http://localhost:${options.apiPort}/` });
  const parts: AppParts = { tables: [], streams: [], queues: [], functions: [], mappings: [], skipped: [] };
  const scope: LoaderScope = {
    options,
    parts,
    localizeApiUrl: references.localizeApiUrl,
    skip: (stackName, logicalId, type, reason) => parts.skipped.push({ stackName, logicalId, type, reason }),
  };
  const outputs: Record<string, Record<string, string>> = {};
  for (const stack of stacks) {
    for (const { logicalId, type, condition } of conditioned.get(stack.stackName)!.omitted)
      scope.skip(stack.stackName, logicalId, type, `condition ${condition} is false`);
    buildStack(stack, references, scope);
    outputs[stack.stackName] = stackOutputs(stack, references);
  }
  return {
    cloudAssemblyDir: options.cloudAssemblyDir,
    ...appFromParts(parts),
    outputs,
    stackNames: stacks.map((s) => s.stackName),
    notEmulated: notEmulatedTypes(stacks.flatMap(({ template }) => Object.values(template.Resources ?? {}))),
  };
}

/** Runs each resource's handler, phase by phase (resources, then mappings, then the API). */
function buildStack({ stackName, template }: StackInput, references: References, scope: LoaderScope): void {
  const ctx = references.contextOf(stackName);
  const ids = references.physicalOf(stackName);
  const stackResources = template.Resources ?? {};
  for (const phase of BUILD_PHASES) {
    for (const [logicalId, resource] of Object.entries(stackResources)) {
      const handler = handlerOf(resource.Type);
      if (!handler?.build || (handler.phase ?? 'resources') !== phase) continue;
      const where = `${stackName}/${logicalId}`;
      const prop = (key: string): unknown => resolveValue(resource.Properties?.[key], ctx, `${where}/Properties/${key}`);
      handler.build({ stackName, logicalId, resource, where, id: ids.get(logicalId)!, ctx, prop, stackResources }, scope);
    }
  }
}

/** A stack's outputs, resolved; API Gateway URLs point at the local API. */
function stackOutputs({ stackName, template }: StackInput, references: References): Record<string, string> {
  const ctx = references.contextOf(stackName);
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    outputs[name] = references.localizeApiUrl(resolveString(output.Value, ctx, `${stackName}/Outputs/${name}/Value`));
  }
  return outputs;
}

/** Replaces each table's pending stream ARN with the one DynamoDB Local assigned, everywhere in the app. */
export function withStreamArns(app: LocalApp): LocalApp {
  const replacements = new Map<string, string>();
  for (const table of app.tables) {
    if (table.streamArn) replacements.set(`${table.arn}${PENDING_STREAM_SUFFIX}`, table.streamArn);
  }
  if (replacements.size === 0) return app;
  const swap = (value: string): string => replacements.get(value) ?? value;
  return {
    ...app,
    functions: app.functions.map((f) => ({
      ...f,
      environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, swap(v)])),
    })),
    mappings: app.mappings.map((m) => (m.kind === 'sqs' ? m : { ...m, sourceArn: swap(m.sourceArn) })),
    outputs: Object.fromEntries(
      Object.entries(app.outputs).map(([stack, values]) => [stack, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, swap(v)]))]),
    ),
  };
}
