import { Template } from 'aws-cdk-lib/assertions';
import { sluiceCatalog } from '../../lambdas/domain/catalog';
import { consumerOutputNames } from '../../lib/consumers/consumer-names';
import { CONSUMERS } from '../../lib/consumers/registry';
import { describeConsumerResources } from './consumer-resources.fixture';
import { buildTestApp } from './sluice-app.fixture';

describe('consumer registry', () => {
  let app: ReturnType<typeof buildTestApp> | undefined;
  const built = () => (app ??= buildTestApp());

  describe.each(CONSUMERS.map((definition) => [definition.name, definition] as const))('%s', (_, definition) => {
    describeConsumerResources(built, definition);

    it('acts on catalogued event types only', () => {
      const unknown = definition.eventTypes.filter((type) => !sluiceCatalog.has(type));
      expect(unknown).toEqual([]);
      expect(definition.eventTypes.length).toBeGreaterThan(0);
    });
  });

  it('gives every consumer its own name, function output and DLQ output', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(CONSUMERS.map((c) => c.name))).toBe(true);
    expect(unique(CONSUMERS.map((c) => consumerOutputNames(c).functionName))).toBe(true);
    expect(unique(CONSUMERS.map((c) => consumerOutputNames(c).dlqUrl))).toBe(true);
  });

  it('lists the events stream consumers for sluice replay stream', () => {
    const { stateless } = built();
    const outputs = Template.fromStack(stateless).toJSON().Outputs;
    expect(outputs.EventsStreamConsumers.Value.split(',')).toEqual(['projector', 'notifier', 'state-transfer-consumer', 'fraud-detector']);
  });
});
