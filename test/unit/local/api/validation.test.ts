import { validateBody, validateParameters } from '../../../../local/api/validation';

const openAccount = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['owner', 'currency'],
  additionalProperties: false,
  properties: {
    accountId: { type: 'string', pattern: '^[a-z0-9-]+$', maxLength: 8 },
    owner: { type: 'string', minLength: 1 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    amount: { type: 'integer', minimum: 1, maximum: 1000 },
    events: { type: 'array', minItems: 1, maxItems: 2 },
  },
};

const errorString = (body: unknown) => {
  const result = validateBody(openAccount, typeof body === 'string' ? body : JSON.stringify(body));
  return result.ok ? undefined : result.validationErrorString;
};

describe('request validation', () => {
  describe('validateBody', () => {
    it('accepts a valid body', () => {
      expect(validateBody(openAccount, JSON.stringify({ owner: 'Ada', currency: 'EUR' }))).toEqual({ ok: true });
    });

    it('names all missing required properties in one message', () => {
      expect(errorString({})).toBe('[object has missing required properties (["currency","owner"])]');
    });

    it.each([
      ['a wrong type', { owner: 1, currency: 'EUR' }, '[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]'],
      ['a value below the minimum', { owner: 'a', currency: 'EUR', amount: 0 }, '[numeric instance is lower than the required minimum (minimum: 1, found: 0)]'],
      [
        'a value above the maximum',
        { owner: 'a', currency: 'EUR', amount: 1001 },
        '[numeric instance is greater than the required maximum (maximum: 1000, found: 1001)]',
      ],
      ['a too short string', { owner: '', currency: 'EUR' }, '[string "" is too short (length: 0, required minimum: 1)]'],
      ['a too long string', { owner: 'a', currency: 'EUR', accountId: 'abcdefghi' }, '[string "abcdefghi" is too long (length: 9, maximum allowed: 8)]'],
      ['a pattern mismatch', { owner: 'a', currency: 'EUR', accountId: 'A!' }, '[ECMA 262 regex "^[a-z0-9-]+$" does not match input string "A!"]'],
      ['a value outside the enum', { owner: 'a', currency: 'GBP' }, '[instance value ("GBP") not found in enum (possible values: ["EUR","USD"])]'],
      ['an unknown property', { owner: 'a', currency: 'EUR', colour: 'red' }, '[object instance has properties which are not allowed by the schema: ["colour"]]'],
      ['a too short array', { owner: 'a', currency: 'EUR', events: [] }, '[array is too short: must have at least 1 elements but instance has 0 elements]'],
      ['a too long array', { owner: 'a', currency: 'EUR', events: [1, 2, 3] }, '[array is too long: must have at most 2 elements but instance has 3 elements]'],
    ])('describes %s in API Gateway wording', (_name, body, expected) => {
      expect(errorString(body)).toBe(expected);
    });

    it('lists several problems separated by commas', () => {
      expect(errorString({ owner: 1 })).toBe(
        '[object has missing required properties (["currency"]), instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
      );
    });

    it('rejects a body that is not JSON with "Invalid request body"', () => {
      const result = validateBody(openAccount, '{not json');
      expect(result).toMatchObject({ ok: false, messageString: 'Invalid request body' });
    });

    it('validates an empty body as an empty object', () => {
      expect(errorString('')).toBe('[object has missing required properties (["currency","owner"])]');
    });
  });

  describe('validateParameters', () => {
    const required = { 'method.request.path.id': true, 'method.request.querystring.limit': true, 'method.request.querystring.cursor': false };

    it('accepts a request with every required parameter', () => {
      expect(validateParameters(required, { pathParameters: { id: 'a1' }, query: { limit: '5' }, headers: {} })).toEqual({ ok: true });
    });

    it('names the missing parameters', () => {
      expect(validateParameters(required, { pathParameters: { id: 'a1' }, query: {}, headers: {} })).toEqual({
        ok: false,
        messageString: 'Missing required request parameters: [limit]',
        validationErrorString: 'Missing required request parameters: [limit]',
      });
    });
  });
});
