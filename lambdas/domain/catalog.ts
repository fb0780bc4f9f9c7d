import { type CatalogEntry, EventCatalog } from '../shared/catalog';
import { accountEventDefinitions } from './accounts/events';
import { cardEventDefinitions } from './cards/events';

/**
 * Every event type sluice's example domain knows: accounts (domain + state-changed) and cards
 * (telemetry + fraud-suspected). Register a new type or version here to extend the pipeline.
 *
 * @example
 * const event = sluiceCatalog.parse(parseEnvelope(JSON.parse(body)));
 */
export const sluiceCatalog = new EventCatalog([...accountEventDefinitions, ...cardEventDefinitions]);

/**
 * Every type + version + kind + schema sluice knows, in one list: what `docs/event-catalog.md` is
 * generated from, and what tools (the CLI) read to name and validate events.
 */
export function catalogEntries(): CatalogEntry[] {
  return sluiceCatalog.entries();
}
