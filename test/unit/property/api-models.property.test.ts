import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { depositBody, moneyBody, openAccountBody } from '../../../lambdas/command/request-schemas';
import type * as z from '../../../lambdas/shared/zod';
import { amountSchema, depositSchema, openAccountSchema, postEventsBody, postEventsSchema } from '../../../lib/api-models';

/**
 * Differential property test: the API Gateway model (validated here with ajv's draft-04, as the
 * local API does) and the zod schema it was generated from accept exactly the same bodies.
 * Strings are generated without surrounding spaces: zod trims names and references, JSON Schema
 * cannot, so the function alone refuses an all-space owner (docs/input-rules.md).
 */
const SEED = 20_251_129;
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });

function modelAccepts(model: object): (value: unknown) => boolean {
  const { schema: _draft, ...rest } = model as Record<string, unknown>;
  const validate = ajv.compile(rest);
  return (value) => validate(value) as boolean;
}

const forbidden = fc.constantFrom('\u0000', '\u0007', '\n', '\u001b', '\u007f', '\u0085', '\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069');
const printable = fc.constantFrom(..."abcXYZ019 .-'&/éßж李", '🚀', '\u200d');
const plainText = (max: number) =>
  fc
    .string({ minLength: 1, maxLength: Math.min(max, 40), unit: printable })
    .map((text) => text.trim())
    .filter((text) => text.length > 0);
/** Free text around the limits: plain, empty, too long, with a forbidden character. */
const freeTextish = (max: number) =>
  fc.oneof(
    { weight: 10, arbitrary: plainText(max) },
    fc.constant(''),
    fc.string({ minLength: max + 1, maxLength: max + 3, unit: 'grapheme-ascii' }).map((t) => `x${t.trim()}`.padEnd(max + 1, 'y')),
    fc.tuple(plainText(10), forbidden, plainText(10)).map(([a, c, b]) => a + c + b),
  );
const anyJson = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const integerish = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 3 }),
);
const accountIdish = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  fc.constant(''),
  fc.constant('a'.repeat(65)),
  fc.constant('a b'),
  fc.constant('ä'),
  fc.string({ maxLength: 5 }),
);
const currencyish = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('EUR', 'USD', 'JPY') }, fc.constantFrom('eur', 'EU', 'EURO', '€', ''));
const unknownKey = fc.constantFrom('admin', 'expectedVersoin', 'tmie', '__proto__x', 'balance');

/** Mostly the first (valid) value, sometimes one of the others. */
const mostly = <T>(good: T, ...bad: T[]) => fc.oneof({ weight: 6, arbitrary: fc.constant(good) }, fc.constantFrom(...bad));

/** A record from per-field arbitraries: each field present or absent, sometimes an unknown field, sometimes a wrong type. */
function body(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(
    Object.fromEntries(Object.entries(fields).map(([name, arbitrary]) => [name, fc.oneof({ weight: 15, arbitrary }, { weight: 1, arbitrary: anyJson })])),
    { requiredKeys: [] },
  );
  const withExtra = fc
    .tuple(record, fc.option(fc.tuple(unknownKey, anyJson), { freq: 10 }))
    .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
  return fc.oneof({ weight: 9, arbitrary: withExtra }, { weight: 1, arbitrary: anyJson });
}

const swipeData = body({
  cardId: accountIdish,
  accountId: accountIdish,
  amount: integerish,
  merchant: freeTextish(200),
  country: mostly('DE', 'FR', 'de', 'D', 'DEU'),
  at: mostly('2025-01-01T12:00:00Z', '2025-01-01T12:00:00.123+02:00', '2025-01-01', 'yesterday', '2025-02-30T00:00:00Z'),
});
const event = body({
  type: mostly('sluice.card.swiped.v1', 'sluice.account.deposited.v1', '', 'x'),
  source: freeTextish(256),
  subject: freeTextish(256),
  data: swipeData,
  id: mostly('01JGQ0000000000000000000AB', '01jgq0000000000000000000ab', 'not-a-ulid'),
  time: mostly('2025-01-01T12:00:00Z', '2025-01-01T12:00:00', 'now'),
});

const cases: Array<[string, object, z.core.$ZodType, fc.Arbitrary<unknown>]> = [
  ['OpenAccount', openAccountSchema, openAccountBody, body({ accountId: accountIdish, owner: freeTextish(200), currency: currencyish })],
  ['AmountCommand', amountSchema, moneyBody, body({ amount: integerish, expectedVersion: integerish })],
  ['DepositCommand', depositSchema, depositBody, body({ amount: integerish, expectedVersion: integerish, reference: freeTextish(140) })],
  ['PostEvents', postEventsSchema, postEventsBody(), fc.oneof(event, body({ events: fc.array(event, { maxLength: 3 }) }))],
];

describe('API models and zod schemas agree (differential)', () => {
  it.each(cases)('%s: the model accepts exactly what zod accepts', (_, model, schema, arbitrary) => {
    const accepts = modelAccepts(model);
    let bothAccepted = 0;
    fc.assert(
      fc.property(arbitrary, (value) => {
        const byZod = schema['~standard'].validate(value) as { issues?: unknown[] };
        const zodAccepts = byZod.issues === undefined;
        if (zodAccepts && accepts(value)) bothAccepted += 1;
        expect({ value, model: accepts(value) }).toEqual({ value, model: zodAccepts });
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // A generator that only makes bad bodies proves nothing about agreement on good ones.
    expect(bothAccepted).toBeGreaterThan(5);
  });
});
