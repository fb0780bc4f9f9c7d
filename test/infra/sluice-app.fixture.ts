import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ConsumerDefinition } from '../../lib/consumers/consumer-definition';
import { buildSluice } from '../../lib/sluice-app';
import { SYNTH_INPUTS, synthInputsHash } from '../../local/synth';

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

const ROOT = path.join(__dirname, '..', '..');
/** Synthesized templates by inputs and context: `<hash>.json` with both stacks' templates. */
const TEMPLATE_CACHE_DIR = path.join(ROOT, '.sluice', 'infra-templates');

/**
 * Templates of both stacks for a stage. Synthesized once per app sources and context for the whole
 * run, then read back: a synth costs seconds (most of it CDK's own CloudFormation validation, which a
 * cached template passed when it was made), and most infra files synthesize the same few stages. The
 * key hashes what `npm start`'s synth depends on (`local/synth.ts`: bin, lib, lambdas, cdk.json,
 * package-lock.json), this file, and the context, so a change to any of them synthesizes again.
 */
export function synthTemplates(context: Record<string, unknown> = {}) {
  const inputs = { command: 'test/infra synthTemplates', inputs: [...SYNTH_INPUTS, path.relative(ROOT, __filename)] };
  const key = synthInputsHash(ROOT, { context: JSON.stringify(context) }, inputs);
  const file = path.join(TEMPLATE_CACHE_DIR, `${key}.json`);
  if (fs.existsSync(file)) {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<'stateful' | 'stateless', Record<string, unknown>>;
    return { stateful: Template.fromJSON(cached.stateful), stateless: Template.fromJSON(cached.stateless) };
  }
  const { stateful, stateless } = buildTestApp(context);
  const templates = { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
  // Written whole under a temporary name, then renamed: a file running beside this one reads all or nothing.
  fs.mkdirSync(TEMPLATE_CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify({ stateful: templates.stateful.toJSON(), stateless: templates.stateless.toJSON() }));
  fs.renameSync(partial, file);
  pruneTemplateCache();
  return templates;
}

/** Drops cached templates not made in the last day (older sources'), so the folder stays small. */
function pruneTemplateCache(): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(TEMPLATE_CACHE_DIR)) {
    const entry = path.join(TEMPLATE_CACHE_DIR, name);
    const madeAt = fs.statSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (madeAt < dayAgo) fs.rmSync(entry, { force: true });
  }
}

/** Every IAM policy statement in a template. */
export function policyStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
