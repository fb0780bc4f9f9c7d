/** What one page of a DynamoDB Query over one partition holds. */
export interface QueryPage<T> {
  /** The items the page returns (those evaluated that pass the filter), in sort key order. */
  readonly items: T[];
  /** The last item evaluated, when `limit` items were evaluated: DynamoDB's LastEvaluatedKey. */
  readonly lastEvaluated?: T;
}

/** A Query's paging inputs, over items whose sort key is a number. */
export interface QueryPageOptions<T> {
  /** `Limit`: how many items to evaluate (not return), at most. */
  readonly limit?: number;
  /** The sort key of `ExclusiveStartKey`: the page starts after it (the item need not exist). */
  readonly startAfter?: number;
  readonly sortKey: (item: T) => number;
  /** A `FilterExpression`: applied after `limit` items were read, so a page can hold fewer, or none. */
  readonly filter?: (item: T) => boolean;
}

/**
 * One page of a DynamoDB Query (ascending) over the items of one partition, paged as DynamoDB pages,
 * for the fakes: `Limit` counts the items *evaluated*, and `LastEvaluatedKey` comes back whenever
 * the limit was reached — even when no item is left, so following it can give an empty last page.
 * (DynamoDB also stops a page at 1 MB read; the fakes' pages are small and never reach it.)
 * Checked against DynamoDB Local in test/integration/dynamodb/read-model.test.ts.
 *
 * @example
 * queryPage([r1, r2], { limit: 2, sortKey: (r) => r.version }) // { items: [r1, r2], lastEvaluated: r2 }
 */
export function queryPage<T>(partition: readonly T[], options: QueryPageOptions<T>): QueryPage<T> {
  const { limit, startAfter, sortKey, filter } = options;
  const candidates = [...partition].sort((a, b) => sortKey(a) - sortKey(b)).filter((item) => startAfter === undefined || sortKey(item) > startAfter);
  const evaluated = limit === undefined ? candidates : candidates.slice(0, limit);
  const items = filter ? evaluated.filter(filter) : evaluated;
  const lastEvaluated = limit !== undefined && evaluated.length === limit ? evaluated.at(-1) : undefined;
  return { items, ...(lastEvaluated === undefined ? {} : { lastEvaluated }) };
}
