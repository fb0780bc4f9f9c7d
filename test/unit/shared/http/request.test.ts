import { z } from 'zod';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { InvalidJsonError, parseBody, parseJsonBody } from '../../../../lambdas/shared/http/request';

describe('request bodies', () => {
  it('parses a JSON body, also when base64 encoded', () => {
    expect(parseJsonBody({ body: '{"a":1}', isBase64Encoded: false })).toEqual({ a: 1 });
    expect(parseJsonBody({ body: Buffer.from('{"a":2}').toString('base64'), isBase64Encoded: true })).toEqual({ a: 2 });
  });

  it.each([null, '', '{"a":'])('fails with InvalidJsonError for the body %p', (body) => {
    expect(() => parseJsonBody({ body, isBase64Encoded: false })).toThrow(InvalidJsonError);
  });

  it('names every field that does not match the schema', () => {
    const schema = z.object({ amount: z.int().positive(), owner: z.string() });

    try {
      parseBody({ body: '{"amount":-1}', isBase64Encoded: false }, schema);
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details?.map((issue) => issue.field)).toEqual(['amount', 'owner']);
    }
  });
});
