import { createHash } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { type AccountServiceDeps, loadAccount } from '../domain/accounts';
import { ClaimTakenError } from '../shared/event-store/errors';
import type { AppendClaim, ClaimableEventStore, EventStore, NewStoredEvent, ReadStreamOptions, StoredEvent } from '../shared/event-store/port';
import { IDEMPOTENCY_WINDOW_SECONDS, type IdempotentRequest, REPLAYED_HEADER } from '../shared/http/idempotency';

/**
 * An event store whose appends also write one claim item, in the same transaction.
 *
 * Powertools' idempotency record and the append are two writes: a first attempt can append and
 * then time out before its record says COMPLETED; its in-progress record expires with the
 * invocation and a repeat would apply the command again. The claim closes that gap: it is keyed by
 * the request (scope + Idempotency-Key), written atomically with the events, so a second append
 * for the same request fails as a whole ({@link ClaimTakenError}) whatever happened to the first.
 */
export class ClaimingEventStore implements EventStore {
  public constructor(
    private readonly inner: ClaimableEventStore,
    private readonly claim: Pick<AppendClaim, 'tableName' | 'id'>,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  public readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  public append(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number): Promise<StoredEvent[]> {
    return this.inner.appendClaimed(streamId, events, expectedVersion, {
      ...this.claim,
      attributes: {
        subject: events[0]?.metadata.subject,
        version: expectedVersion + events.length,
        expiration: this.nowSeconds() + IDEMPOTENCY_WINDOW_SECONDS,
      },
    });
  }
}

/** Whether a store can write claims (the DynamoDB adapter can; the unit tests' fake cannot). */
export function isClaimable(store: EventStore): store is ClaimableEventStore {
  return typeof (store as Partial<ClaimableEventStore>).appendClaimed === 'function';
}

/** The claim id of a request: a hash of its scope and key, apart from Powertools' own record ids. */
export function claimIdOf(request: Pick<IdempotentRequest, 'scope' | 'key'>): string {
  return `applied#${createHash('sha256')
    .update(JSON.stringify([request.scope, request.key]))
    .digest('hex')}`;
}

/**
 * Runs a command with its appends claimed; when the claim shows an earlier attempt applied it,
 * answers what that attempt would have: the account at the claimed version, marked replayed.
 */
export async function runClaimed(
  deps: AccountServiceDeps & { readonly eventStore: ClaimableEventStore },
  claim: Pick<AppendClaim, 'tableName' | 'id'>,
  execute: (claimedDeps: AccountServiceDeps) => Promise<APIGatewayProxyResult>,
  respond: (account: { accountId: string; version: number; balance: number }) => APIGatewayProxyResult,
): Promise<APIGatewayProxyResult> {
  try {
    return await execute({ ...deps, eventStore: new ClaimingEventStore(deps.eventStore, claim) });
  } catch (error) {
    if (!(error instanceof ClaimTakenError)) throw error;
    const item = await deps.eventStore.readClaim(claim.tableName, claim.id);
    const accountId = String(item?.subject ?? '');
    const version = Number(item?.version);
    const state = await loadAccount(deps, accountId, { upToVersion: version });
    if (state.status !== 'open') throw error;
    const response = respond({ accountId, version: state.version, balance: state.balance });
    return { ...response, headers: { ...response.headers, [REPLAYED_HEADER]: 'true' } };
  }
}
