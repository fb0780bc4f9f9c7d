import type { BalanceRow } from './projection';

/** Balance rows a projector container remembers, unless told otherwise. */
export const DEFAULT_CACHED_ROWS = 10_000;

/**
 * The balance rows a projector wrote or read last, per account, so its next batch of the account
 * can fold onto the row without reading it. Only a guess: a row is never trusted because it is
 * here, only written over with a condition on its version (the row really at that version is this
 * row, since a projection is a pure fold of the same stored events), and forgotten when a write or
 * read says otherwise. The least recently used rows beyond `limit` are forgotten.
 *
 * @example
 * const rows = new BalanceRowCache();
 * rows.remember(row); rows.get(row.accountId) // row
 */
export class BalanceRowCache {
  private readonly rows = new Map<string, BalanceRow>();

  public constructor(private readonly limit = DEFAULT_CACHED_ROWS) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a balance row cache holds at least 1 row; got a limit of ${limit}`);
  }

  public get(accountId: string): BalanceRow | undefined {
    const row = this.rows.get(accountId);
    if (row) {
      // Most recently used last: Map keeps insertion order.
      this.rows.delete(accountId);
      this.rows.set(accountId, row);
    }
    return row;
  }

  /** Keeps `row` as the account's: the row as a consistent read or a guarded write last saw it. */
  public remember(row: BalanceRow): void {
    this.rows.delete(row.accountId);
    this.rows.set(row.accountId, row);
    if (this.rows.size > this.limit) this.rows.delete(this.rows.keys().next().value!);
  }

  public forget(accountId: string): void {
    this.rows.delete(accountId);
  }

  public get size(): number {
    return this.rows.size;
  }
}
