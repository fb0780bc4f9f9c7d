#!/usr/bin/env node
/**
 * The conformance probe app: `cdk synth --app 'npx tsx test/conformance/app/main.ts'`
 * (the suite's global setup does this for the local cloud; docs/conformance.md deploys it).
 */
import { App } from 'aws-cdk-lib';
import { ProbeStack } from './probe-stack';
import { PROBE_STACK_NAME } from './scenarios';

const app = new App();
new ProbeStack(app, 'Probe', {
  stackName: PROBE_STACK_NAME,
  description: 'sluice conformance probes: sources, mappings and functions that record what AWS does',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
