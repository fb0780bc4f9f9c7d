import { z } from 'zod';
import { EventCatalog } from '../../lambdas/shared/catalog';
import { createEnvelope, type EventEnvelope } from '../../lambdas/shared/envelope';

/** A domain-free catalog for core tests: two telemetry types with a tiny schema. */
export const THING_HAPPENED = 'test.thing.happened.v1';
export const OTHER_HAPPENED = 'test.other.happened.v1';

export const testCatalog = new EventCatalog([
  { type: THING_HAPPENED, kind: 'telemetry', description: 'a thing', schema: z.object({ n: z.int() }) },
  { type: OTHER_HAPPENED, kind: 'telemetry', description: 'another thing', schema: z.object({ n: z.int() }) },
]);

/** An envelope of {@link THING_HAPPENED} with data `{ n }`, partitioned by `key`. */
export function thing(n: number, key = 'key-1', type = THING_HAPPENED): EventEnvelope<{ n: number }> {
  return createEnvelope({ type, source: 'test', subject: key, data: { n } });
}
