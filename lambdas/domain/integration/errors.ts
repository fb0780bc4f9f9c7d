import { SluiceError } from '../../shared/errors';

/**
 * The event store does not (yet) hold the account at the version an event says it reached.
 *
 * Events reach the stream from the store's own change stream, so this means a read raced the
 * store or the history is damaged; the record fails and is retried rather than sending stale data.
 */
export class AccountStateUnavailableError extends SluiceError {
  public readonly accountId: string;
  public readonly version: number;

  public constructor(accountId: string, version: number, foundVersion: number) {
    super('account_state_unavailable', `the event store has account ${accountId} at version ${foundVersion}, but an event says it reached version ${version}`);
    this.name = 'AccountStateUnavailableError';
    this.accountId = accountId;
    this.version = version;
  }
}

/** Asked to compose a notification for a type that has none; callers filter with `isNotifiable`. */
export class NotNotifiableError extends SluiceError {
  public readonly type: string;

  public constructor(type: string) {
    super('not_notifiable', `no notification is defined for ${type}; check isNotifiable before composing`);
    this.name = 'NotNotifiableError';
    this.type = type;
  }
}
