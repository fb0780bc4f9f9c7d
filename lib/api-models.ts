import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { depositBody, moneyBody, openAccountBody } from '../lambdas/command/request-schemas';
import { eventBatchOf, eventInputSchema, MAX_EVENTS_PER_REQUEST } from '../lambdas/ingest/ingest-request';
import * as z from '../lambdas/shared/zod';

/**
 * Request models (JSON Schema draft 4) that API Gateway checks before invoking a function,
 * generated from the very zod schemas the functions validate with, so the edge and the function
 * cannot drift (test/unit/property/api-models.property.test.ts: a differential property test). A model says less than zod
 * can (no trimming, no ICU country lookup, no event-time bounds relative to now): the functions
 * check those, and whatever zod accepts the model accepts too.
 *
 * Generating JSON Schema lives here, in the CDK app, never in a function bundle.
 */
export function requestModel(title: string, schema: z.core.$ZodType, description?: string): apigateway.JsonSchema {
  const { $schema: _ignored, ...generated } = withoutFormats(jsonSchemaOf(schema, 'draft-04', 'input')) as Record<string, unknown>;
  return { schema: apigateway.JsonSchemaVersion.DRAFT4, title, ...(description ? { description } : {}), ...generated } as apigateway.JsonSchema;
}

/**
 * JSON Schema of a zod schema: draft-04 for API Gateway models, `openapi-3.0` (the same keywords,
 * without `$schema`) for the OpenAPI document. `input` for what a caller sends, `output` for what
 * the API answers. A rule JSON Schema cannot say (a refinement, a transform) becomes `{}`: the
 * function still checks it.
 */
export function jsonSchemaOf(schema: z.core.$ZodType, target: 'draft-04' | 'openapi-3.0', io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { target, io, unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Drops every `format` keyword: AWS documents no `format` checking for API Gateway models (the
 * local cloud refuses a model that relies on one, see docs/local-cloud-differences.md), and the
 * functions check dates themselves, so a format in the model would only look like a check.
 */
export function withoutFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutFormats);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== 'format' || typeof value !== 'string')
      .map(([key, value]) => [key, withoutFormats(value)]),
  );
}

/**
 * `POST /events`: one event or `{"events": [...]}`. The edge checks each event's envelope fields
 * (strict: unknown fields refused) and that `data` is an object; the function checks `data`
 * against the catalog schema of its type, so the 400 names the bad field (`events.3.data.amount`)
 * and says which types exist, which a gateway validation message cannot.
 */
export function postEventsBody() {
  const event = z.extend(eventInputSchema, { data: z.record(z.string(), z.unknown()) });
  return z.union([event, eventBatchOf(event)]);
}

/** A request body model: its name (the model's construct id and title) and the zod schema it is generated from. */
export interface RequestModel {
  readonly name: string;
  readonly schema: z.core.$ZodType;
  readonly description?: string;
}

export const POST_EVENTS: RequestModel = {
  name: 'PostEvents',
  schema: postEventsBody(),
  description: `One event, or {"events": [...]} with 1 to ${MAX_EVENTS_PER_REQUEST} events.`,
};
export const OPEN_ACCOUNT: RequestModel = { name: 'OpenAccount', schema: openAccountBody };
export const AMOUNT_COMMAND: RequestModel = { name: 'AmountCommand', schema: moneyBody };
/** Deposits may carry the payer's reference (stored in `sluice.account.deposited.v2`). */
export const DEPOSIT_COMMAND: RequestModel = { name: 'DepositCommand', schema: depositBody };

/** The API Gateway model (draft-04) of a request model. */
export function apiGatewayModel({ name, schema, description }: RequestModel): apigateway.JsonSchema {
  return requestModel(name, schema, description);
}

export const postEventsSchema = apiGatewayModel(POST_EVENTS);
export const openAccountSchema = apiGatewayModel(OPEN_ACCOUNT);
export const amountSchema = apiGatewayModel(AMOUNT_COMMAND);
export const depositSchema = apiGatewayModel(DEPOSIT_COMMAND);
