#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildSluice } from '../lib/sluice-app';

const app = new App();
buildSluice(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
