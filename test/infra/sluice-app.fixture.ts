import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildSluice } from '../../lib/sluice-app';

/**
 * Builds the sluice app for a stage without bundling the functions (bundling is covered by
 * `cdk synth`; here it would only slow the tests down).
 */
export function buildTestApp(context: Record<string, unknown> = {}) {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-infra-')),
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context },
  });
  const stacks = buildSluice(app);
  return { app, ...stacks };
}

/** Templates of both stacks for a stage. */
export function synthTemplates(context: Record<string, unknown> = {}) {
  const { stateful, stateless } = buildTestApp(context);
  return { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
}

/** Every IAM policy statement in a template. */
export function policyStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement,
  );
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
