import { type App, Tags } from 'aws-cdk-lib';
import { resolveConfig } from './config';
import type { ConsumerDefinition } from './consumers/consumer-definition';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/**
 * The two stacks of one stage, wired through typed props. Stack names: `sluice-<stage>-stateful|stateless`.
 * `consumers` replaces the registry (tests synthesize a throwaway consumer with it). @default CONSUMERS
 */
export function buildSluice(app: App, options: { readonly consumers?: readonly ConsumerDefinition[] } = {}): { stateful: StatefulStack; stateless: StatelessStack } {
  const consumers = options.consumers ? { consumers: options.consumers } : {};
  const config = resolveConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  // Stack tags (CloudFormation copies them onto every resource it can tag). With the
  // `@aws-cdk/core:explicitStackTags` flag, `Tags.of(app)` tags the template's resources only.
  const tags = { project: 'sluice', stage: config.stage };
  const stateful = new StatefulStack(app, 'Stateful', {
    stackName: `sluice-${config.stage}-stateful`,
    description: `sluice ${config.stage}: event store, read model, stream and queues`,
    env,
    tags,
    config,
    ...consumers,
  });
  const stateless = new StatelessStack(app, 'Stateless', {
    stackName: `sluice-${config.stage}-stateless`,
    description: `sluice ${config.stage}: functions, event source mappings, API and dashboard`,
    env,
    tags,
    config,
    data: stateful,
    ...consumers,
  });
  Tags.of(app).add('project', 'sluice');
  Tags.of(app).add('stage', config.stage);
  return { stateful, stateless };
}
