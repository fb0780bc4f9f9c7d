import { MalformedStoredEventError } from '../../../../lambdas/shared/event-store/errors';
import { envelopeFromStreamRecord, storedEventFromStreamRecord } from '../../../../lambdas/shared/event-store/stream-record';
import { history } from '../../../helpers/account-events';
import { insertRecord, streamRecord } from '../../../helpers/dynamodb-stream-records';

describe('event store stream records', () => {
  const stored = history().opened().deposit(250).stored()[1];

  it('reads the stored event from NEW_IMAGE', () => {
    expect(storedEventFromStreamRecord(insertRecord(stored))).toEqual(stored);
  });

  it('builds the CloudEvents envelope with streamversion and partitionkey', () => {
    expect(envelopeFromStreamRecord(insertRecord(stored))).toEqual({
      specversion: '1.0',
      id: stored.eventId,
      source: 'sluice/accounts',
      type: 'sluice.account.deposited.v2',
      time: stored.time,
      subject: 'acc-1',
      datacontenttype: 'application/json',
      data: { accountId: 'acc-1', amount: 250, channel: 'api' },
      streamversion: 2,
      partitionkey: 'acc-1',
    });
  });

  it('fails with MalformedStoredEventError naming what is missing', () => {
    const { metadata: _ignored, ...withoutMetadata } = stored;

    expect(() => storedEventFromStreamRecord(streamRecord('INSERT', withoutMetadata))).toThrow(MalformedStoredEventError);
    expect(() => storedEventFromStreamRecord(streamRecord('INSERT', withoutMetadata))).toThrow(/metadata/);
    expect(() => storedEventFromStreamRecord(streamRecord('REMOVE', stored))).toThrow(/NEW_IMAGE/);
  });
});
