/**
 * The fold of one event-store stream against its read-model row (pure): the row the domain's
 * projection rebuilds from the events (the same fold `sluice replay read-model --verify` uses)
 * compared field by field with the row the projector wrote.
 */
import { diffRows, type RebuiltAccount } from '../../../lambdas/domain/replay';

export interface FoldComparison {
  readonly matches: boolean;
  readonly differences: string[];
}

/** Fields `matches` is about: what a reader of the read model relies on. */
const KEY_FIELDS = ['balance', 'version'];

/**
 * Compares the rebuilt balance row with the live one. `matches` is true when both exist and agree
 * on balance and version; `differences` names every field that differs, with both values.
 */
export function compareFold(rebuilt: RebuiltAccount['balance'] | undefined, live: Record<string, unknown> | undefined): FoldComparison {
  if (!rebuilt) return { matches: false, differences: live ? ['the events do not fold, so the read model row cannot be checked'] : [] };
  if (!live) return { matches: false, differences: [`the read model has no row for ${rebuilt.accountId} (the projector has not written it yet, or it was lost)`] };
  const found = diffRows('balances', new Map([[rebuilt.accountId, live]]), new Map([[rebuilt.accountId, { ...rebuilt }]]));
  return {
    matches: !found.some((difference) => difference.field !== undefined && KEY_FIELDS.includes(difference.field)),
    differences: found.map((difference) => `${difference.field}: read model ${JSON.stringify(difference.live)}, fold ${JSON.stringify(difference.rebuilt)}`),
  };
}
