import { DEDUPLICATION_ID, redriveDeduplicationId } from '../../../cli/redrive-deduplication';

// AWS SQS SendMessage (MessageDeduplicationId): "The maximum length of MessageDeduplicationId is 128 characters."
// It may hold alphanumeric characters and punctuation (the set in DEDUPLICATION_ID).
describe('redriveDeduplicationId', () => {
  const uuid = '5fea7756-0ea4-451a-a703-a558b933e274';

  it('is the DLQ message id behind a redrive: prefix, the same on every run', () => {
    expect(redriveDeduplicationId(uuid)).toBe(`redrive:${uuid}`);
    expect(redriveDeduplicationId(uuid)).toBe(redriveDeduplicationId(uuid));
  });

  it('differs per DLQ message and from the ids the producers send (account#version, content hashes, message ids)', () => {
    const other = '5fea7756-0ea4-451a-a703-a558b933e275';
    expect(redriveDeduplicationId(uuid)).not.toBe(redriveDeduplicationId(other));
    for (const original of ['acct-1#3', uuid, 'a'.repeat(64)]) expect(redriveDeduplicationId(uuid)).not.toBe(original);
  });

  it.each([
    ['a 128-character id', 'm'.repeat(128)],
    ['spaces', 'id with spaces'],
    ['non-ASCII', 'idé'],
  ])('hashes a message id with %s into a valid id, still stable and distinct', (_, messageId) => {
    const id = redriveDeduplicationId(messageId);
    expect(id).toMatch(/^redrive:sha256:[0-9a-f]{64}$/);
    expect(id).toBe(redriveDeduplicationId(messageId));
    expect(id).not.toBe(redriveDeduplicationId(`${messageId}x`));
  });

  it('keeps an id that fits exactly (120 characters + the prefix = 128)', () => {
    expect(redriveDeduplicationId('m'.repeat(120))).toBe(`redrive:${'m'.repeat(120)}`);
  });

  it('always gives what SQS accepts: at most 128 alphanumeric or punctuation characters', () => {
    for (const messageId of [uuid, 'm'.repeat(120), 'm'.repeat(121), 'x y', '\u00e9', `punct!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`]) {
      const id = redriveDeduplicationId(messageId);
      expect(id.length).toBeLessThanOrEqual(128);
      expect(id).toMatch(DEDUPLICATION_ID);
    }
    expect(DEDUPLICATION_ID.test(`redrive:${'m'.repeat(121)}`)).toBe(false);
    expect(DEDUPLICATION_ID.test('x y')).toBe(false);
    expect(DEDUPLICATION_ID.test(`!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~aZ9`)).toBe(true);
  });

  it('refuses a message without an id, saying why', () => {
    expect(() => redriveDeduplicationId(undefined)).toThrow(/without a MessageId cannot be redriven to a FIFO queue/);
  });
});
