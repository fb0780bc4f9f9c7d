import { EventCatalog } from '../shared/catalog';
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
