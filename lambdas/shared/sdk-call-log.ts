/** Name of the SDK middleware that hands each call's input and output to the client's `logger`. */
export const SDK_CALL_LOG_MIDDLEWARE = 'loggerMiddleware';

/**
 * Takes the SDK's call log out of a client's middleware stack. sluice gives its clients no
 * logger, so the SDK logs to a no-op one, but its logger middleware still copies every call's input
 * and output through the schema's sensitive-data filter first (the no-op logger has an `info` to
 * call): a replay's Scan pages and BatchWriteItem calls walked twice more, item by item, about a
 * tenth of the CLI's CPU time (cpuprofile of `sluice replay read-model`, docs/benchmarks.md).
 * Nothing was ever printed from it; the requests are the same.
 *
 * @example
 * const dynamo = withoutCallLog(new DynamoDBClient({}));
 */
export function withoutCallLog<T extends { middlewareStack: { remove(name: string): boolean } }>(client: T): T {
  client.middlewareStack.remove(SDK_CALL_LOG_MIDDLEWARE);
  return client;
}
