/**
 * How sluice's functions name and dimension their custom CloudWatch metrics, shared by both sides:
 * the functions emit them (Powertools EMF, `observability.ts`), lib/observability.ts graphs and
 * alarms on them. CloudWatch identifies a metric by namespace, name and its whole set of
 * dimensions, so a graph finds a metric only with exactly the dimensions the function put on it:
 * {@link metricDimensions} says which. Which function emits which metric: lib/function-metrics.ts.
 */

/** Namespace of every sluice metric (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'sluice';

/** The dimension that keeps two stages of one account apart; its value is the function's `SLUICE_STAGE`. */
export const STAGE_DIMENSION = 'stage';

/** The stage a function reports outside a deployed stack (unit tests, scripts), where `SLUICE_STAGE` is unset. */
export const STAGE_UNSET = 'unset';

/** What the stream consumers' batch helpers count per batch (`BatchTally` in batch/consumer-options.ts). */
export const BATCH_METRICS = ['EventsHandled', 'EventsSkipped', 'RecordsFailed', 'RecordsDeadLettered'] as const;

/** Powertools' cold-start count: every function emits it once per container (`withObservability`). */
export const COLD_START_METRIC = 'ColdStart';

/** The Powertools service name (`POWERTOOLS_SERVICE_NAME`, the `service` dimension) of the function in lambdas/<folder>. */
export function serviceName(folder: string): string {
  return `sluice-${folder}`;
}

/**
 * The dimensions a sluice function puts on a metric: Powertools' `service`, the `stage`, and on
 * {@link COLD_START_METRIC} also `function_name` (the deployed function's name).
 */
export function metricDimensions(service: string, stage: string, functionName?: string): Record<string, string> {
  return { service, [STAGE_DIMENSION]: stage, ...(functionName === undefined ? {} : { function_name: functionName }) };
}
