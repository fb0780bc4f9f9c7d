#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { buildSluice } from '../lib/sluice-app';

const app = new App();
buildSluice(app);
/** Set by the local cloud's synth (local/synth.ts SKIP_CHECKS_CONTEXT), which prints what it skipped. */
const skipped = String(app.node.tryGetContext('sluice:skip-checks') ?? '').split(',');
if (!skipped.includes('cdk-nag')) {
  // Loaded only when used: requiring cdk-nag's rule packs is part of what a local synth saves.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
