import * as z from '../../shared/zod';
import type { EventDefinition } from '../../shared/catalog';
import { freeText } from '../../shared/input-rules';
import { accountIdSchema, amountSchema } from '../accounts/events';

/** Types of the card events: swipes come from outside (telemetry), alerts from the fraud detector. */
export const CARD_EVENT_TYPES = {
  swiped: 'sluice.card.swiped.v1',
  fraudSuspected: 'sluice.card.fraud-suspected.v1',
} as const;

/** Envelope `source` of the alerts the fraud detector emits. */
export const FRAUD_DETECTOR_SOURCE = 'sluice/fraud-detector';

/** Why the fraud detector raised an alert. */
export const FRAUD_REASONS = ['velocity', 'geography'] as const;
export type FraudReason = (typeof FRAUD_REASONS)[number];

/** Card ids are the stream's partition key, which Kinesis caps at 256 characters. */
export const cardIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1 to 128 letters, digits, "_" or "-"'));

/**
 * Node's ICU knows every ISO 3166 region; `fallback: 'none'` makes it answer `undefined` for
 * codes that merely look right (e.g. "XY"), so we need no hand-kept country list. ICU also names
 * a few codes that are not countries: "unknown region" and groupings such as the EU.
 */
// Built on the first check, not at module load: loading ICU's region names is a large share of the
// module init of every function that bundles the catalog, and most of them never check a country.
let regionNames: Intl.DisplayNames | undefined;
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);
const ALPHA_2 = /^[A-Z]{2}$/;
// zod runs the refinement even after the regex failed, and ICU throws on malformed codes.
const isCountryCode = (code: string): boolean =>
  ALPHA_2.test(code) && !NOT_COUNTRIES.has(code) && (regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })).of(code) !== undefined;

export const countrySchema = z
  .string()
  .check(
    z.regex(ALPHA_2, 'must be an ISO 3166-1 alpha-2 code of 2 uppercase letters, e.g. DE'),
    z.refine(isCountryCode, 'is not an ISO 3166-1 alpha-2 country code'),
  );

const isoTime = z.iso.datetime({ offset: true });

/** Swipes come from outside: unknown fields are refused, the merchant is free text (input rules). */
export const cardSwipedV1Schema = z.strictObject({
  cardId: cardIdSchema,
  accountId: accountIdSchema,
  amount: amountSchema,
  merchant: freeText(1, 200, { trim: true }),
  country: countrySchema,
  at: isoTime,
});

export const cardFraudSuspectedV1Schema = z.object({
  cardId: cardIdSchema,
  accountId: accountIdSchema,
  reason: z.enum(FRAUD_REASONS),
  windowSeconds: z.int().check(z.positive()),
  swipeIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  detectedAt: isoTime,
});

export type CardSwipedV1 = z.infer<typeof cardSwipedV1Schema>;
export type CardFraudSuspectedV1 = z.infer<typeof cardFraudSuspectedV1Schema>;

const byCardId = (data: { cardId: string }): string => data.cardId;

export const cardSwipedV1: EventDefinition<CardSwipedV1> = {
  type: CARD_EVENT_TYPES.swiped,
  kind: 'telemetry',
  description: 'A card was used at a merchant: amount in minor units, ISO country, event time `at`.',
  schema: cardSwipedV1Schema,
  partitionKey: byCardId,
  eventTimeFields: ['at'],
};

export const cardFraudSuspectedV1: EventDefinition<CardFraudSuspectedV1> = {
  type: CARD_EVENT_TYPES.fraudSuspected,
  kind: 'integration',
  description: 'The fraud detector saw too many swipes (velocity) or too many countries (geography) in its window.',
  schema: cardFraudSuspectedV1Schema,
  partitionKey: byCardId,
};

/** Every card event type, for the domain catalog. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventDefinition<T> is invariant in T; `any` lets one list hold every type's definition
export const cardEventDefinitions: readonly EventDefinition<any>[] = [cardSwipedV1, cardFraudSuspectedV1];
