import type * as z from './zod';
import { type EventEnvelope, zodIssues } from './envelope';
import { SluiceError, ValidationError } from './errors';

/**
 * Who may produce an event type:
 * - `domain`: only the event store (command routes); never accepted on `POST /events`;
 * - `telemetry`: accepted from outside on `POST /events`;
 * - `integration`: produced by sluice's own functions for other systems.
 */
export type EventKind = 'domain' | 'telemetry' | 'integration';

/** One versioned event type: its schema and, for old versions, how to turn it into the next one. */
export interface EventDefinition<TData = unknown> {
  /** Full versioned type, e.g. `sluice.account.deposited.v1`. */
  readonly type: string;
  readonly kind: EventKind;
  readonly description: string;
  readonly schema: z.ZodMiniType<TData>;
  /** Partition key for the stream; defaults to the envelope's `subject`. */
  readonly partitionKey?: (data: TData) => string;
  /**
   * Fields of `data` that hold an event time (ISO string), e.g. a swipe's `at`. Ingestion bounds
   * them like the envelope's `time` (input rules: [now − 7 days, now + 5 minutes] by default).
   */
  readonly eventTimeFields?: readonly (keyof TData & string)[];
  /** Upcaster for an old version: returns the envelope as the `upcastsTo` type. */
  readonly upcast?: (event: EventEnvelope<TData>) => EventEnvelope;
  /** The (registered) type `upcast` returns; required with `upcast`. */
  readonly upcastsTo?: string;
}

/** One line of the catalog, for docs, tools and tests: a type, its version, kind, schema and upgrade path. */
export interface CatalogEntry {
  /** Full versioned type, e.g. `sluice.account.deposited.v2`. */
  readonly type: string;
  /** The type without its version suffix, e.g. `sluice.account.deposited`. */
  readonly name: string;
  readonly version: number;
  readonly kind: EventKind;
  readonly description: string;
  readonly schema: z.ZodMiniType;
  /** The type an old version upcasts to (one step); absent for a current version. */
  readonly upcastsTo?: string;
  /** True when no upcaster replaces it: consumers only ever see current versions. */
  readonly current: boolean;
}

const VERSION_SUFFIX = /\.v([1-9][0-9]*)$/;

/** The event type is not in the catalog. */
export class UnknownEventTypeError extends SluiceError {
  public readonly type: string;
  public constructor(type: string, known: readonly string[]) {
    super('unknown_event_type', `event type "${type}" is not in the catalog; known types: ${known.join(', ')}`);
    this.name = 'UnknownEventTypeError';
    this.type = type;
  }
}

/**
 * The event catalog: every event type and version sluice knows, with its schema.
 *
 * The core knows nothing about accounts or cards; the domain registers its types
 * (see `lambdas/domain/catalog.ts`). Adding a type here is how a user extends the pipeline.
 *
 * @example
 * const catalog = new EventCatalog([swipedV1]);
 * const event = catalog.parse(envelope); // data validated, old versions upcast
 */
export class EventCatalog {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventDefinition<T> is invariant in T; `any` lets one list hold every type's definition
  private readonly definitions = new Map<string, EventDefinition<any>>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventDefinition<T> is invariant in T (see above)
  public constructor(definitions: readonly EventDefinition<any>[]) {
    for (const definition of definitions) {
      if (this.definitions.has(definition.type)) {
        throw new Error(`event type "${definition.type}" is registered twice; give each version its own type`);
      }
      this.definitions.set(definition.type, definition);
    }
    for (const definition of definitions) {
      if (Boolean(definition.upcast) !== Boolean(definition.upcastsTo)) {
        throw new Error(`event type "${definition.type}" must declare both upcast and upcastsTo, or neither`);
      }
      if (definition.upcastsTo !== undefined && !this.definitions.has(definition.upcastsTo)) {
        throw new Error(`event type "${definition.type}" upcasts to "${definition.upcastsTo}", which is not registered; register that version too`);
      }
    }
  }

  /** Every registered type, sorted. */
  public types(kind?: EventKind): string[] {
    return [...this.definitions.values()]
      .filter((definition) => kind === undefined || definition.kind === kind)
      .map((definition) => definition.type)
      .sort();
  }

  /** @throws {UnknownEventTypeError} when the type is not registered. */
  public definition(type: string): EventDefinition<unknown> {
    const definition = this.definitions.get(type);
    if (!definition) throw new UnknownEventTypeError(type, this.types());
    return definition;
  }

  public has(type: string): boolean {
    return this.definitions.has(type);
  }

  /**
   * Every registered type and version in one list, sorted by type: the single place docs
   * (`docs/event-catalog.md`), tools and tests read the catalog from.
   */
  public entries(): CatalogEntry[] {
    return this.types().map((type) => {
      const definition = this.definitions.get(type)!;
      const version = Number(VERSION_SUFFIX.exec(type)?.[1] ?? 0);
      const name = type.replace(VERSION_SUFFIX, '');
      const { upcastsTo } = definition;
      return {
        type,
        name,
        version,
        kind: definition.kind,
        description: definition.description,
        schema: definition.schema,
        ...(upcastsTo ? { upcastsTo } : {}),
        current: upcastsTo === undefined,
      };
    });
  }

  /** The newest version of a type name (`sluice.account.deposited` → `sluice.account.deposited.v2`), if any is registered. */
  public currentType(name: string): string | undefined {
    return this.entries()
      .filter((entry) => entry.name === name && entry.current)
      .at(-1)?.type;
  }

  /**
   * Validates `data` against the schema of the envelope's type.
   *
   * @throws {UnknownEventTypeError} for an unregistered type.
   * @throws {ValidationError} naming every bad field (paths prefixed with `fieldPrefix`, default `data`).
   */
  public validateData<TData = unknown>(type: string, data: unknown, fieldPrefix = 'data'): TData {
    const result = this.definition(type).schema.safeParse(data);
    if (!result.success) {
      throw new ValidationError(`data does not match the schema of ${type}`, zodIssues(result.error, fieldPrefix));
    }
    return result.data as TData;
  }

  /**
   * Validates an envelope's data and upcasts it to the newest version of its type.
   *
   * @throws {UnknownEventTypeError} or {ValidationError}; consumers let these fail the record so it
   * reaches the DLQ with the reason, never dropping it silently.
   */
  public parse<TData = unknown>(envelope: EventEnvelope): EventEnvelope<TData> {
    let current: EventEnvelope = { ...envelope, data: this.validateData(envelope.type, envelope.data) };
    for (let definition = this.definition(current.type); definition.upcast; definition = this.definition(current.type)) {
      const next = definition.upcast(current);
      if (next.type !== definition.upcastsTo) {
        throw new Error(`the upcaster of "${definition.type}" returned "${next.type}" instead of its declared "${definition.upcastsTo}"`);
      }
      current = { ...next, data: this.validateData(next.type, next.data) };
    }
    return current as EventEnvelope<TData>;
  }

  /** The event times inside validated `data`, by field name (see {@link EventDefinition.eventTimeFields}). */
  public eventTimes(type: string, data: unknown): Record<string, string> {
    const fields = this.definition(type).eventTimeFields ?? [];
    const record = (data ?? {}) as Record<string, unknown>;
    return Object.fromEntries(fields.flatMap((field) => (typeof record[field] === 'string' ? [[field, record[field] as string]] : [])));
  }

  /** The stream partition key for an event of this type. */
  public partitionKey(type: string, data: unknown, subject: string): string {
    const definition = this.definition(type);
    return definition.partitionKey ? definition.partitionKey(data) : subject;
  }
}
