import * as z from '../../shared/zod';
import type { Snapshot } from '../../shared/event-store/port';
import type { AccountState, OpenAccount } from './account';
import { accountIdSchema, currencySchema } from './events';

/**
 * Whether to snapshot an account that just reached `version`: every `every` events.
 *
 * @example
 * shouldSnapshot(20, 10) // true
 * shouldSnapshot(21, 10) // false
 */
export function shouldSnapshot(version: number, every: number): boolean {
  return every > 0 && version > 0 && version % every === 0;
}

const openAccountSchema = z.object({
  status: z.literal('open'),
  accountId: accountIdSchema,
  owner: z.string().check(z.minLength(1)),
  currency: currencySchema,
  balance: z.int().check(z.nonnegative()),
  version: z.int().check(z.positive()),
  openedAt: z.string().check(z.minLength(1)),
  updatedAt: z.string().check(z.minLength(1)),
});

/**
 * The account state in a snapshot, or `undefined` when the snapshot cannot be trusted.
 *
 * A snapshot is only an optimisation: a corrupt one (wrong shape, or a version that disagrees
 * with its state) is ignored and the caller folds the full history instead.
 *
 * @example
 * const from = accountStateFromSnapshot(snapshot) ?? initialAccountState;
 */
export function accountStateFromSnapshot(snapshot: Snapshot): OpenAccount | undefined {
  const result = openAccountSchema.safeParse(snapshot.state);
  if (!result.success || result.data.version !== snapshot.version) return undefined;
  return result.data;
}

/** The snapshot of an account's state, to save. */
export function accountSnapshot(streamId: string, state: AccountState, takenAt: Date): Snapshot<AccountState> {
  return { streamId, version: state.version, state, takenAt: takenAt.toISOString() };
}
