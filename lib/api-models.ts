import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { depositBody, moneyBody, openAccountBody } from '../lambdas/command/request-schemas';
import { eventInputSchema, MAX_EVENTS_PER_REQUEST } from '../lambdas/ingest/ingest-request';
import * as z from '../lambdas/shared/zod';

/**
 * Request models (JSON Schema draft 4) that API Gateway checks before invoking a function,
 * generated from the very zod schemas the functions validate with, so the edge and the function
 * cannot drift (test/unit/infra-models: a differential property test). A model says less than zod
 * can (no trimming, no ICU country lookup, no event-time bounds relative to now): the functions
 * check those, and whatever zod accepts the model accepts too.
 *
 * Generating JSON Schema lives here, in the CDK app, never in a function bundle.
 */
export function requestModel(title: string, schema: z.core.$ZodType, description?: string): apigateway.JsonSchema {
  const { $schema: _ignored, ...generated } = withoutFormats(z.toJSONSchema(schema, { target: 'draft-04', io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;
  return { schema: apigateway.JsonSchemaVersion.DRAFT4, title, ...(description ? { description } : {}), ...generated } as apigateway.JsonSchema;
}

/**
 * Drops every `format` keyword: AWS documents no `format` checking for API Gateway models (the
 * local cloud refuses a model that relies on one, see docs/local-cloud-differences.md), and the
 * functions check dates themselves, so a format in the model would only look like a check.
 */
function withoutFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutFormats);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => key !== 'format' || typeof value !== 'string').map(([key, value]) => [key, withoutFormats(value)]));
}

/**
 * `POST /events`: one event or `{"events": [...]}`. The edge checks each event's envelope fields
 * (strict: unknown fields refused) and that `data` is an object; the function checks `data`
 * against the catalog schema of its type, so the 400 names the bad field (`events.3.data.amount`)
 * and says which types exist, which a gateway validation message cannot.
 */
export function postEventsBody() {
  const event = z.extend(eventInputSchema, { data: z.record(z.string(), z.unknown()) });
  const batch = z.strictObject({ events: z.array(event).check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_REQUEST)) });
  return z.union([event, batch]);
}

export const postEventsSchema = requestModel('PostEvents', postEventsBody(), `One event, or {"events": [...]} with 1 to ${MAX_EVENTS_PER_REQUEST} events.`);
export const openAccountSchema = requestModel('OpenAccount', openAccountBody);
export const amountSchema = requestModel('AmountCommand', moneyBody);
/** Deposits may carry the payer's reference (stored in `sluice.account.deposited.v2`). */
export const depositSchema = requestModel('DepositCommand', depositBody);
