/**
 * The local synth runs the CDK app without the CDK CLI, so it must hand the app what the CLI would
 * (the template loader needs the asset metadata), and it skips cdk-nag only out loud.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  INPUTS_STAMP_FILE,
  LOCAL_SYNTH_SKIPPED_CHECKS,
  localSynthContext,
  localSynthEnvironment,
  SKIP_CHECKS_CONTEXT,
  skippedChecks,
  skippedChecksLine,
  synth,
} from '../../../../local/synth';

function project(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-synth-context-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(content));
  return dir;
}

describe('localSynthContext', () => {
  it('passes what cdk synth passes: cdk.json context, then cdk.context.json, then the given context, with asset and path metadata', () => {
    const root = project({ 'cdk.json': { app: 'x', context: { stage: 'dev', flag: true, fromFile: 'json' } }, 'cdk.context.json': { fromFile: 'context-file' } });
    expect(localSynthContext(root, { stage: 'local' })).toMatchObject({
      stage: 'local',
      flag: true,
      fromFile: 'context-file',
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:bundling-stacks': ['**'],
    });
  });

  it("skips the app's bundling only when the local synth bundles the functions itself", () => {
    const root = project({ 'cdk.json': { app: 'x' } });
    expect(localSynthContext(root, {}, { skipBundling: true })['aws:cdk:bundling-stacks']).toEqual([]);
    expect(localSynthContext(root)['aws:cdk:bundling-stacks']).toEqual(['**']);
  });

  it('asks the app to skip cdk-nag', () => {
    expect(String(localSynthContext(project({ 'cdk.json': { app: 'x' } }))[SKIP_CHECKS_CONTEXT]).split(',')).toContain('cdk-nag');
  });

  it("turns off aws-cdk-lib's built-in CloudFormation validation as `cdk synth --no-validation` does, and names it as skipped", () => {
    expect(localSynthEnvironment()).toEqual({ CDK_VALIDATION: 'false' });
    expect(LOCAL_SYNTH_SKIPPED_CHECKS['cloudformation-validation']).toBe('test/infra/cdk-nag.test.ts');
  });

  it('runs the app with that environment and the skip context', async () => {
    // A stand-in app: writes the manifest the synth waits for, with what it was given.
    const app = `node -e "require('fs').writeFileSync(process.env.CDK_OUTDIR + '/manifest.json', JSON.stringify({ validation: process.env.CDK_VALIDATION, context: JSON.parse(process.env.CDK_CONTEXT_JSON) }))"`;
    const root = project({ 'cdk.json': { app } });
    const out = path.join(root, 'out');
    await synth(root, out, {});
    const seen = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(seen.validation).toBe('false');
    expect(seen.context[SKIP_CHECKS_CONTEXT]).toBe(Object.keys(LOCAL_SYNTH_SKIPPED_CHECKS).join(','));
  });
});

describe('skipped checks', () => {
  it('reads them from the assembly stamp and names each with the test that runs it', () => {
    const dir = project({ [INPUTS_STAMP_FILE]: { hash: 'h', skippedChecks: ['cdk-nag'] } });
    expect(skippedChecks(dir)).toEqual(['cdk-nag']);
    expect(skippedChecksLine(skippedChecks(dir))).toBe('skipped in the local synth: cdk-nag (test/infra/cdk-nag.test.ts); npm test runs them');
    expect(skippedChecksLine(['cdk-nag', 'cloudformation-validation'])).toBe(
      'skipped in the local synth: cdk-nag (test/infra/cdk-nag.test.ts), cloudformation-validation (test/infra/cdk-nag.test.ts); npm test runs them',
    );
  });

  it('prints nothing for an assembly that skipped nothing or has no stamp', () => {
    expect(skippedChecks(project({ [INPUTS_STAMP_FILE]: { hash: 'h' } }))).toEqual([]);
    expect(skippedChecks(project({}))).toEqual([]);
    expect(skippedChecksLine([])).toBeUndefined();
  });
});
