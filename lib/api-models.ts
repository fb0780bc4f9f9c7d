import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/**
 * Request models (JSON Schema draft 4) that API Gateway checks before invoking a function.
 * They catch shape errors at the edge; the functions validate again in full (zod, catalog
 * schemas), since a model can say less than the domain knows.
 */
const S = apigateway.JsonSchemaType;

const eventSchema: apigateway.JsonSchema = {
  type: S.OBJECT,
  required: ['type', 'source', 'subject', 'data'],
  properties: {
    type: { type: S.STRING, pattern: '^[a-z0-9]+(\\.[a-z0-9-]+)+\\.v[1-9][0-9]*$' },
    source: { type: S.STRING, minLength: 1 },
    subject: { type: S.STRING, minLength: 1, maxLength: 256 },
    data: { type: S.OBJECT },
    id: { type: S.STRING, minLength: 1 },
    time: { type: S.STRING, minLength: 1 },
  },
};

export const postEventsSchema: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'PostEvents',
  description: 'One event, or {"events": [...]} with 1 to 500 events.',
  oneOf: [
    eventSchema,
    {
      type: S.OBJECT,
      required: ['events'],
      properties: { events: { type: S.ARRAY, minItems: 1, maxItems: 500, items: eventSchema } },
    },
  ],
};

export const openAccountSchema: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'OpenAccount',
  type: S.OBJECT,
  required: ['owner', 'currency'],
  additionalProperties: false,
  properties: {
    accountId: { type: S.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
    owner: { type: S.STRING, minLength: 1, maxLength: 200 },
    currency: { type: S.STRING, pattern: '^[A-Z]{3}$' },
  },
};

export const amountSchema: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'AmountCommand',
  type: S.OBJECT,
  required: ['amount'],
  additionalProperties: false,
  properties: {
    amount: { type: S.INTEGER, minimum: 1 },
    expectedVersion: { type: S.INTEGER, minimum: 0 },
  },
};

/** Deposits may carry the payer's reference (stored in `sluice.account.deposited.v2`). */
export const depositSchema: apigateway.JsonSchema = {
  ...amountSchema,
  title: 'DepositCommand',
  properties: {
    ...amountSchema.properties,
    reference: { type: S.STRING, minLength: 1, maxLength: 140 },
  },
};
