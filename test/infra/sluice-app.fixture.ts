import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ConsumerDefinition } from '../../lib/consumers/consumer-definition';
import { buildSluice } from '../../lib/sluice-app';

/** cdk.json's context (the feature flags, the default stage), which the CDK CLI hands the app. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;

/**
 * Builds the sluice app for a stage with cdk.json's feature flags, as `cdk synth` does, but without
 * bundling the functions (bundling is covered by `cdk synth`; here it would only slow the tests down).
 */
export function buildTestApp(context: Record<string, unknown> = {}, options: { readonly consumers?: readonly ConsumerDefinition[] } = {}) {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-infra-')),
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stacks = buildSluice(app, options);
  return { app, ...stacks };
}

/** Templates of both stacks for a stage. */
export function synthTemplates(context: Record<string, unknown> = {}) {
  const { stateful, stateless } = buildTestApp(context);
  return { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
}

/** Every IAM policy statement in a template. */
export function policyStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
