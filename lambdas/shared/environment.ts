/**
 * The environment variables the core (lambdas/shared) reads on behalf of any function, named once
 * for the stack that sets them and the code that reads them. Each handler folder's `environment.ts`
 * spreads the ones it needs into its own contract. Free of imports, so the CDK app can load it
 * without the AWS SDK, and free of the domain.
 */
export const SHARED_ENV = {
  /** The consumer's own dead-letter queue, where it sends poison records with their reason. */
  dlqUrl: 'DLQ_URL',
  eventsStreamName: 'EVENTS_STREAM_NAME',
  eventStoreTableName: 'EVENT_STORE_TABLE_NAME',
  snapshotTableName: 'SNAPSHOT_TABLE_NAME',
  /** The CQRS read model's tables: the projector writes them, the query function reads them. */
  balancesTableName: 'BALANCES_TABLE_NAME',
  transactionsTableName: 'TRANSACTIONS_TABLE_NAME',
  /** Every function: Powertools' service name and metrics namespace, and the stage (a metric dimension). */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  stage: 'SLUICE_STAGE',
  /** The accepted event-time window (input rules), from the stage's context. */
  eventTimePastDays: 'EVENT_TIME_PAST_DAYS',
  eventTimeFutureMinutes: 'EVENT_TIME_FUTURE_MINUTES',
} as const;

/** A function's environment contract: a key per variable, and the variable's name. */
export type EnvironmentContract = Readonly<Record<string, string>>;
