import { decodeKinesisEnvelope, decodeSqsEnvelope, parseSqsJsonBody, PoisonRecordError } from '../../../../lambdas/shared/batch';
import { kinesisRecordFor, kinesisRecordOf } from '../../../helpers/kinesis-records';
import { sqsRecordOf } from '../../../helpers/sqs-records';
import { testCatalog, thing } from '../../../helpers/test-catalog';

function decodeError(decode: () => unknown): PoisonRecordError {
  try {
    decode();
  } catch (error) {
    if (error instanceof PoisonRecordError) return error;
    throw error;
  }
  throw new Error('expected the record to be undecodable');
}

describe('decodeKinesisEnvelope', () => {
  it('returns the catalogued event carried by a record', () => {
    const envelope = thing(7);
    expect(decodeKinesisEnvelope(kinesisRecordFor(envelope), testCatalog)).toEqual(envelope);
  });

  it('fails a record whose payload is not JSON, naming the record', () => {
    const record = kinesisRecordOf('not json {');
    const error = decodeError(() => decodeKinesisEnvelope(record, testCatalog));
    expect(error).toMatchObject({ code: 'undecodable_record', recordId: record.kinesis.sequenceNumber });
    expect(error.problem).toMatch(/not JSON/);
  });

  it('fails a record that is not an envelope, listing the bad fields', () => {
    const error = decodeError(() => decodeKinesisEnvelope(kinesisRecordOf({ hello: 'world' }), testCatalog));
    expect(error.code).toBe('undecodable_record');
    expect(error.details?.map((issue) => issue.field)).toEqual(expect.arrayContaining(['specversion', 'id', 'type']));
  });

  it('fails a record of an uncatalogued type', () => {
    const envelope = thing(1, 'k', 'test.unknown.happened.v1');
    const error = decodeError(() => decodeKinesisEnvelope(kinesisRecordFor(envelope), testCatalog));
    expect(error).toMatchObject({ name: 'InvalidEventRecordError', code: 'unknown_event_type' });
    expect(error.problem).toMatch(/not in the catalog/);
    expect(error.cause).toMatchObject({ code: 'unknown_event_type' });
  });

  it('fails a record whose data does not match its schema, naming the field', () => {
    const envelope = { ...thing(1), data: { n: 'one' } };
    const error = decodeError(() => decodeKinesisEnvelope(kinesisRecordFor(envelope), testCatalog));
    expect(error.details).toEqual([expect.objectContaining({ field: 'data.n' })]);
    expect(error.code).toBe('validation_failed');
    expect(error.problem).toMatch(/data\.n/);
  });
});

describe('SQS bodies', () => {
  it('parses a JSON body', () => {
    expect(parseSqsJsonBody(sqsRecordOf({ a: 1 }))).toEqual({ a: 1 });
  });

  it('fails a body that is not JSON, naming the message', () => {
    const record = sqsRecordOf('{oops');
    expect(decodeError(() => parseSqsJsonBody(record))).toMatchObject({ recordId: record.messageId });
  });

  it('decodes an envelope body through the catalog', () => {
    const envelope = thing(3);
    expect(decodeSqsEnvelope(sqsRecordOf(envelope), testCatalog)).toEqual(envelope);
  });
});
