import { accountEventFromEnvelope, accountEventFromStored, isAccountEventType, parseAccountEvent } from '../../../../lambdas/domain/accounts';
import { UntrustedAccountEventError } from '../../../../lambdas/domain/accounts/errors';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { accountEnvelope } from '../../../helpers/account-envelopes';
import { history, toStored } from '../../../helpers/account-events';
import { captureError } from '../../../helpers/capture-error';

// Account history reaches every consumer through these two functions: what they accept is what
// a balance, a notification or a replica is built from.
describe('accountEventFromEnvelope', () => {
  const account = history().opened('Ada Lovelace', 'EUR').deposit(500, { reference: 'invoice 7' }).withdraw(200);
  const deposited = accountEnvelope(account.events[1]);

  it('returns the event the outbox published, with its id, version, time and data', () => {
    expect(accountEventFromEnvelope(deposited)).toEqual(account.events[1]);
  });

  it('upcasts a stored v1 deposit to the current version, with channel "unknown"', () => {
    const v1 = { ...deposited, type: 'sluice.account.deposited.v1', data: { accountId: 'acc-1', amount: 500 } };

    expect(accountEventFromEnvelope(v1)).toEqual({ ...account.events[1], data: { accountId: 'acc-1', amount: 500, channel: 'unknown' } });
  });

  it('refuses an event from another source, naming the source it came from', () => {
    const error = captureError(() => accountEventFromEnvelope({ ...deposited, source: 'attacker' }));

    expect(error).toBeInstanceOf(UntrustedAccountEventError);
    expect(error).toMatchObject({ code: 'untrusted_event', eventId: deposited.id });
    expect((error as Error).message).toBe(`event ${deposited.id} is not from the account event store's outbox: its source is "attacker", not sluice/accounts`);
  });

  it('refuses an event without a streamversion', () => {
    const { streamversion: _version, ...unversioned } = deposited;

    expect(() => accountEventFromEnvelope(unversioned)).toThrow(
      new UntrustedAccountEventError(deposited.id, 'it has no streamversion; every stored account event carries its version'),
    );
  });

  it('refuses an event whose subject is another account than its data names', () => {
    expect(() => accountEventFromEnvelope({ ...deposited, subject: 'acc-2' })).toThrow(/its subject "acc-2" is not its account acc-1/);
  });

  it('refuses a type that is not an account event, listing the account types', () => {
    const error = captureError(() => accountEventFromEnvelope({ ...deposited, type: 'sluice.card.swiped.v1' }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      message: `event ${deposited.id} is a sluice.card.swiped.v1, not an account event`,
      details: [{ field: 'type', message: 'must be one of sluice.account.opened.v1, sluice.account.deposited.v2, sluice.account.withdrawn.v1' }],
    });
  });

  it('refuses data that does not fit the schema of its type, naming the field', () => {
    const error = captureError(() => accountEventFromEnvelope({ ...deposited, data: { ...(deposited.data as object), amount: -5 } }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ details: [expect.objectContaining({ field: 'data.amount' })] });
  });
});

describe('parseAccountEvent', () => {
  it.each([
    ['opened', 0],
    ['deposited', 1],
    ['withdrawn', 2],
  ] as const)('parses a %s event of the current version', (_name, index) => {
    const event = history().opened().deposit(500).withdraw(200).events[index];

    expect(parseAccountEvent(event)).toEqual(event);
  });

  it('names the event and its type when the data does not match', () => {
    const opened = history().opened().events[0];

    expect(() => parseAccountEvent({ ...opened, data: { accountId: 'acc-1', owner: 'Ada', currency: 'eur' } })).toThrow(
      `event ${opened.eventId} does not match the schema of sluice.account.opened.v1`,
    );
  });
});

describe('accountEventFromStored', () => {
  it('reads a stored item back as the event that was stored', () => {
    const withdrawn = history().opened().deposit(500).withdraw(200).events[2];

    expect(accountEventFromStored(toStored(withdrawn))).toEqual(withdrawn);
  });
});

describe('isAccountEventType', () => {
  it.each([
    ['sluice.account.opened.v1', true],
    ['sluice.account.deposited.v2', true],
    ['sluice.account.withdrawn.v1', true],
    ['sluice.account.deposited.v1', false],
    ['sluice.card.swiped.v1', false],
  ])('%s → %s', (type, expected) => {
    expect(isAccountEventType(type)).toBe(expected);
  });
});
