import * as z from './zod';
import type { CatalogEntry } from './catalog';

/**
 * The schema of an entry's `data` as JSON Schema (draft 2020-12), for docs and non-TypeScript consumers.
 *
 * Kept out of `catalog.ts` so the functions, which never need it, do not bundle zod's JSON Schema code.
 *
 * @example
 * jsonSchemaOf(catalogEntries()[0]).required // ['accountId', 'owner', 'currency']
 */
export function jsonSchemaOf(entry: Pick<CatalogEntry, 'schema'>): Record<string, unknown> {
  return z.toJSONSchema(entry.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
