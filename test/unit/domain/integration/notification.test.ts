import { foldAccount, type OpenAccount } from '../../../../lambdas/domain/accounts';
import { composeNotification, formatMoney, isNotifiable, NotNotifiableError } from '../../../../lambdas/domain/integration';
import { createEnvelope } from '../../../../lambdas/shared/envelope';
import { accountEnvelope, fraudEnvelope } from '../../../helpers/account-envelopes';
import { history } from '../../../helpers/account-events';

function openAccount(state: ReturnType<typeof foldAccount>): OpenAccount {
  if (state.status !== 'open') throw new Error('test setup: account is not open');
  return state;
}

describe('composeNotification', () => {
  const account = history().opened('Ada Lovelace', 'EUR').deposit(12_550).withdraw(2_000);
  const afterDeposit = openAccount(foldAccount(account.events.slice(0, 2)));
  const afterWithdrawal = openAccount(foldAccount(account.events));

  it('addresses the owner with the event ids, type and time, one notification per event', () => {
    const deposited = accountEnvelope(account.events[1]);
    expect(composeNotification(deposited, afterDeposit)).toEqual({
      notificationId: deposited.id,
      eventId: deposited.id,
      eventType: 'sluice.account.deposited.v2',
      accountId: 'acc-1',
      owner: 'Ada Lovelace',
      subject: 'Deposit of 125.50 EUR',
      text: 'Ada Lovelace, 125.50 EUR was paid into your account acc-1. Your balance is now 125.50 EUR.',
      occurredAt: deposited.time,
    });
  });

  it('quotes the payer reference of a deposit', () => {
    const withReference = history().opened('Ada Lovelace', 'EUR').deposit(100, { reference: 'invoice 42' });
    const notification = composeNotification(accountEnvelope(withReference.events[1]), openAccount(foldAccount(withReference.events)));
    expect(notification.text).toBe('Ada Lovelace, 1.00 EUR was paid into your account acc-1 (reference: invoice 42). Your balance is now 1.00 EUR.');
  });

  it('welcomes the owner of a newly opened account', () => {
    const notification = composeNotification(accountEnvelope(account.events[0]), openAccount(foldAccount(account.events.slice(0, 1))));
    expect(notification.text).toBe('Welcome, Ada Lovelace: your EUR account acc-1 is open.');
  });

  it('states the amount withdrawn and the balance right after it', () => {
    const notification = composeNotification(accountEnvelope(account.events[2]), afterWithdrawal);
    expect(notification.subject).toBe('Withdrawal of 20.00 EUR');
    expect(notification.text).toContain('Your balance is now 105.50 EUR.');
  });

  it.each([
    ['velocity', 'was used 6 times within 5 minutes'],
    ['geography', 'was used in more countries than expected within 5 minutes'],
  ] as const)('warns about %s fraud on the card', (reason, wording) => {
    const notification = composeNotification(fraudEnvelope({ reason }), afterWithdrawal);
    expect(notification.subject).toBe('Suspicious card activity');
    expect(notification.text).toBe(`Ada Lovelace, your card card-1 on account acc-1 ${wording}. If this was not you, block the card now.`);
  });

  it.each([
    [60, 'was used 6 times within 1 minute.'],
    [600, 'was used 6 times within 10 minutes.'],
    [90, 'was used 6 times within 90 seconds.'],
  ])('words a %d-second fraud window as a person would say it', (windowSeconds, wording) => {
    expect(composeNotification(fraudEnvelope({ windowSeconds }), afterWithdrawal).text).toContain(wording);
  });

  it('refuses a type without a notification', () => {
    const swipe = createEnvelope({ type: 'sluice.card.swiped.v1', source: 'pos', subject: 'card-1', data: {} });
    expect(() => composeNotification(swipe, afterDeposit)).toThrow(NotNotifiableError);
  });
});

describe('isNotifiable', () => {
  it.each([
    ['sluice.account.opened.v1', true],
    ['sluice.account.deposited.v2', true],
    ['sluice.account.withdrawn.v1', true],
    ['sluice.card.fraud-suspected.v1', true],
    ['sluice.card.swiped.v1', false],
    ['sluice.account.state-changed.v1', false],
  ])('%s → %s', (type, expected) => {
    expect(isNotifiable(type)).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each([
    [123_450, 'EUR', '1,234.50 EUR'],
    [5, 'USD', '0.05 USD'],
    [500, 'JPY', '500 JPY'],
    [1_234, 'KWD', '1.234 KWD'],
  ])('formats %d minor units of %s as %s', (minor, currency, expected) => {
    expect(formatMoney(minor, currency)).toBe(expected);
  });
});
