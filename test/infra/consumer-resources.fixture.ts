import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from '../../lib/config';
import type { ConsumerDefinition } from '../../lib/consumers/consumer-definition';
import { consumerConstructId, consumerOutputNames, kebabCase } from '../../lib/consumers/consumer-names';
import { STREAM_MAPPING_DEFAULTS } from '../../lib/defaults';
import type { StatefulStack } from '../../lib/stateful-stack';
import type { StatelessStack } from '../../lib/stateless-stack';

/** Variables SluiceFunction sets on every function, apart from any contract. */
const FUNCTION_BASE_ENV = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'SLUICE_STAGE', 'NODE_OPTIONS'];

type Resource = { [key: string]: any };

/** The synthesized stacks of one app, with their templates. */
export interface SynthesizedApp {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** What one registry entry built, found in the templates by what the entry says. */
export interface ConsumerResources {
  readonly functionId: string;
  readonly function: Resource | undefined;
  readonly mappings: Resource[];
  readonly dlqId: string;
  readonly dlq: Resource | undefined;
  readonly alarmNames: string[];
  readonly outputs: { readonly functionName?: Resource; readonly dlqUrl?: Resource };
  /** The variables the entry's contract sets for this stage (the values it leaves undefined are not set). */
  readonly expectedVariables: string[];
}

const templates = new WeakMap<SynthesizedApp, { stateful: Template; stateless: Template }>();

/** Both templates of an app, synthesized once. */
function templatesOf(app: SynthesizedApp): { stateful: Template; stateless: Template } {
  if (!templates.has(app)) templates.set(app, { stateful: Template.fromStack(app.stateful), stateless: Template.fromStack(app.stateless) });
  return templates.get(app)!;
}

/** Finds every resource a consumer's registry entry makes: function, mapping(s), DLQ, alarms and both outputs. */
export function findConsumerResources(app: SynthesizedApp, definition: ConsumerDefinition): ConsumerResources {
  const { stateful, stateless } = templatesOf(app);
  const [functionId, fn] = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(
    ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `sluice-${definition.name}`,
  ) ?? ['', undefined];
  const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName.Ref === functionId);
  const { source } = definition;
  const dlqPrefix = source.kind === 'queue' ? `${source.queue.id}Dlq` : `ConsumerFailures${consumerConstructId(definition)}Queue`;
  const [dlqId, dlq] = Object.entries(stateful.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith(dlqPrefix)) ?? ['', undefined];
  const alarmNames = Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
  const names = consumerOutputNames(definition);
  const config = resolveConfig(app.stateful.node);
  const deadLetterQueue = source.kind === 'queue' ? app.stateful.workQueues[source.queue.id].deadLetterQueue : app.stateful.failureQueues[definition.name];
  const values = definition.environment.values({ config, data: app.stateful, deadLetterQueue });
  return {
    functionId,
    function: fn,
    mappings,
    dlqId,
    dlq,
    alarmNames,
    outputs: { functionName: stateless.toJSON().Outputs?.[names.functionName], dlqUrl: stateful.toJSON().Outputs?.[names.dlqUrl] },
    expectedVariables: Object.entries(definition.environment.contract)
      .filter(([key]) => values[key] !== undefined)
      .map(([, variable]) => variable)
      .sort(),
  };
}

/** The variables a function has beyond those every function has. */
export function contractVariables(fn: Resource): string[] {
  return Object.keys(fn.Properties.Environment.Variables)
    .filter((name) => !FUNCTION_BASE_ENV.includes(name))
    .sort();
}

/** The alarms a consumer must have, by name after `sluice-<stage>-`. */
export function expectedAlarms(definition: ConsumerDefinition): string[] {
  const own = ['ErrorRate', 'Throttles', 'DurationNearTimeout'].map((condition) => `${definition.name}-${condition}`);
  const { source } = definition;
  if (source.kind !== 'queue') return [...own, `${definition.name}-IteratorAge`, `${definition.name}-DlqNotEmpty`];
  const queue = kebabCase(source.queue.id);
  return [...own, `${queue}-OldestMessageAge`, `${queue}${definition.dlq === 'fifo' ? '-fifo' : ''}-DlqNotEmpty`];
}

/** What the consumer's mapping must say, from its entry's source and overrides. */
export function expectedMapping(definition: ConsumerDefinition): Record<string, unknown> {
  const mapping: Record<string, any> = definition.mapping ?? {};
  if (definition.source.kind === 'queue') {
    return { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: mapping.batchSize, ScalingConfig: { MaximumConcurrency: mapping.maxConcurrency } };
  }
  return {
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    BisectBatchOnFunctionError: true,
    BatchSize: mapping.batchSize ?? STREAM_MAPPING_DEFAULTS.batchSize,
    MaximumRetryAttempts: mapping.retryAttempts ?? STREAM_MAPPING_DEFAULTS.retryAttempts,
    MaximumRecordAgeInSeconds: (mapping.maxRecordAge ?? STREAM_MAPPING_DEFAULTS.maxRecordAge).toSeconds(),
    ParallelizationFactor: mapping.parallelizationFactor ?? STREAM_MAPPING_DEFAULTS.parallelizationFactor,
  };
}

/**
 * The tests that one registry entry built everything it declares: its function (with exactly its
 * contract's variables), its mapping (source, overrides, DLQ), its DLQ (kind), its alarms and both
 * outputs. The registry test runs them for every entry, the throwaway-consumer test for a new one.
 */
export function describeConsumerResources(app: () => SynthesizedApp, definition: ConsumerDefinition): void {
  let found: ConsumerResources;
  beforeAll(() => {
    found = findConsumerResources(app(), definition);
  });

  it('makes its function from its handler folder, named for it, with exactly the variables of its contract', () => {
    expect(found.function).toBeDefined();
    expect(found.functionId).toMatch(new RegExp(`^${consumerConstructId(definition)}Function[0-9A-F]{8}$`));
    expect(contractVariables(found.function!)).toEqual(found.expectedVariables);
  });

  it('maps its source to it, with its overrides, its DLQ as the failure destination', () => {
    expect(found.mappings).toHaveLength(1);
    const [mapping] = found.mappings;
    expect(mapping.Properties).toMatchObject(expectedMapping(definition));
    const source = JSON.stringify(mapping.Properties.EventSourceArn);
    const { kind } = definition.source;
    if (kind === 'queue') expect(source).toContain(`${(definition.source as { queue: { id: string } }).queue.id}Queue`);
    else expect(source).toContain(kind === 'events-stream' ? 'EventsStream' : 'EventStoreEvents');
    if (kind !== 'queue') expect(JSON.stringify(mapping.Properties.DestinationConfig.OnFailure.Destination)).toContain(found.dlqId);
  });

  it(`has its own ${definition.dlq} DLQ, which its DLQ_URL names`, () => {
    expect(found.dlq).toBeDefined();
    expect(Boolean(found.dlq!.Properties.FifoQueue)).toBe(definition.dlq === 'fifo');
    expect(JSON.stringify(found.function!.Properties.Environment.Variables.DLQ_URL)).toContain(found.dlqId);
  });

  it('has its alarms', () => {
    const stage = resolveConfig(app().stateful.node).stage;
    expect(found.alarmNames).toEqual(expect.arrayContaining(expectedAlarms(definition).map((name) => `sluice-${stage}-${name}`)));
  });

  it('outputs its function name and its DLQ URL', () => {
    expect(found.outputs.functionName?.Value).toEqual({ Ref: found.functionId });
    expect(found.outputs.dlqUrl?.Value).toEqual({ Ref: found.dlqId });
  });
}
