import { notificationSchema } from '../../../lambdas/domain/integration/notification';
import { depositNotification } from '../../support/factories/deposit-notification';

describe('depositNotification', () => {
  it("is a notification the worker accepts, for the deposit's id and account", () => {
    const notification = depositNotification({ eventId: '01JCONSOLE00000000000000AA', accountId: 'acct-1', amount: 1250 });
    expect(notificationSchema.parse(notification)).toMatchObject({
      notificationId: '01JCONSOLE00000000000000AA',
      eventId: '01JCONSOLE00000000000000AA',
      accountId: 'acct-1',
      text: expect.stringContaining('12.50 EUR'),
    });
  });
});
