/**
 * What a function's metrics look like in its log: the EMF documents Powertools writes carry the
 * `stage` dimension (from SLUICE_STAGE) beside `service` (and `function_name` on ColdStart), exactly
 * the dimension sets `metricDimensions` gives lib/ to graph and alarm on. CloudWatch matches a
 * metric by its whole dimension set, so one dimension more or less here and the graphs are empty.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, STAGE_UNSET, metricDimensions } from '../../../lambdas/shared/metric-catalog';

type Observability = typeof import('../../../lambdas/shared/observability');

interface EmfDocument {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
  [key: string]: unknown;
}

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

/** The shared observability module as a function with this environment loads it. */
function load(env: Record<string, string | undefined>): Observability {
  process.env = { ...saved, POWERTOOLS_DEV: undefined, POWERTOOLS_METRICS_DISABLED: undefined, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, ...env };
  for (const [key, value] of Object.entries(process.env)) if (value === undefined) delete process.env[key];
  let loaded: Observability | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.isolateModules loads a fresh copy only through a synchronous require
    loaded = require('../../../lambdas/shared/observability');
  });
  return loaded!;
}

/** The EMF documents written to stdout while `run` runs. */
async function emitted(run: () => unknown): Promise<EmfDocument[]> {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  await run();
  jest.restoreAllMocks();
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
}

/** The dimension set of the document that holds `metricName`, with its values. */
function dimensionsOf(documents: EmfDocument[], metricName: string): Record<string, unknown> {
  const doc = documents.find((d) => d._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === metricName));
  if (!doc) throw new Error(`no EMF document holds ${metricName} (got ${documents.length} documents)`);
  const sets = doc._aws.CloudWatchMetrics[0].Dimensions;
  expect(sets).toHaveLength(1);
  return Object.fromEntries(sets[0].map((name) => [name, doc[name]]));
}

const context = { functionName: 'sluice-qa-stateless-IngestFunction-abc' } as Context;

describe('metric dimensions a function emits', () => {
  it('puts the stage from SLUICE_STAGE beside the service on a custom metric', async () => {
    const { metrics } = load({ SLUICE_STAGE: 'qa', POWERTOOLS_SERVICE_NAME: 'sluice-ingest' });
    const documents = await emitted(() => {
      metrics.addMetric('EventsAccepted', MetricUnit.Count, 2);
      metrics.publishStoredMetrics();
    });
    expect(documents[0]._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(dimensionsOf(documents, 'EventsAccepted')).toEqual(metricDimensions('sluice-ingest', 'qa'));
  });

  it('puts the stage and the function name on the cold-start metric withObservability emits', async () => {
    // Lambda sets the initialization type; Powertools counts a cold start only for on-demand containers.
    const { metrics, withObservability } = load({ SLUICE_STAGE: 'qa', POWERTOOLS_SERVICE_NAME: 'sluice-ingest', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    const handler = withObservability(async () => {
      metrics.addMetric('EventsAccepted', MetricUnit.Count, 1);
      return 'done';
    });
    const documents = await emitted(() => handler({}, context));
    expect(dimensionsOf(documents, 'ColdStart')).toEqual(metricDimensions('sluice-ingest', 'qa', context.functionName));
    expect(dimensionsOf(documents, 'EventsAccepted')).toEqual(metricDimensions('sluice-ingest', 'qa'));
  });

  it(`reports the stage as "${STAGE_UNSET}" where SLUICE_STAGE is not set, rather than leaving the dimension out`, async () => {
    const { metrics } = load({ SLUICE_STAGE: undefined, POWERTOOLS_SERVICE_NAME: 'sluice-projector' });
    const documents = await emitted(() => {
      metrics.addMetric('EventsHandled', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    });
    expect(dimensionsOf(documents, 'EventsHandled')).toEqual(metricDimensions('sluice-projector', STAGE_UNSET));
  });
});
