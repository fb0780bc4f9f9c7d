import { FREE_TEXT_PATTERN } from './input-rules';
import type { CatalogEntry } from './catalog';
import { jsonSchemaOf } from './catalog-json-schema';

type JsonSchema = { type?: string | string[]; enum?: unknown[]; format?: string; pattern?: string; items?: JsonSchema } & Record<string, unknown>;

/**
 * Renders catalog entries as the Markdown of `docs/event-catalog.md`: an index of every type and
 * version, then one section per type with its fields. Pure, so a unit test can check the checked-in
 * page against the catalog and fail when someone adds a type without regenerating the docs.
 *
 * @example
 * fs.writeFileSync('docs/event-catalog.md', renderCatalogMarkdown(catalogEntries()));
 */
export function renderCatalogMarkdown(entries: readonly CatalogEntry[], intro = ''): string {
  const lines = [
    '# Event catalog',
    '',
    '<!-- Generated from lambdas/domain/catalog.ts by test/unit/domain/catalog.test.ts; do not edit by hand. -->',
    '<!-- Regenerate: UPDATE_EVENT_CATALOG=1 npx jest --selectProjects unit test/unit/domain/catalog.test.ts -->',
    '',
    ...(intro ? [intro.trim(), ''] : []),
    '| type | version | kind | status | description |',
    '|---|---|---|---|---|',
    ...entries.map(
      (entry) =>
        `| \`${entry.type}\` | ${entry.version} | ${entry.kind} | ${entry.current ? 'current' : `upcast to \`${entry.upcastsTo}\``} | ${cell(entry.description)} |`,
    ),
  ];
  for (const entry of entries) {
    const properties = (jsonSchemaOf(entry).properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((jsonSchemaOf(entry).required ?? []) as string[]);
    lines.push(
      '',
      `## \`${entry.type}\``,
      '',
      `${entry.description} Kind: **${entry.kind}**.${entry.current ? '' : ` Superseded: consumers receive it as \`${entry.upcastsTo}\`.`}`,
      '',
      '| field | type | required | constraints |',
      '|---|---|---|---|',
      ...Object.entries(properties).map(
        ([field, schema]) => `| \`${field}\` | ${typeOf(schema)} | ${required.has(field) ? 'yes' : 'no'} | ${cell(constraints(schema))} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.format) return `${String(schema.type)} (${schema.format})`;
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : String(schema.type ?? 'any');
}

const SAFE_INTEGER_MAX = Number.MAX_SAFE_INTEGER;

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  // A date-time's generated pattern only restates the format.
  if (schema.pattern === FREE_TEXT_PATTERN.source) parts.push('free text: no control or bidi formatting characters ([input rules](input-rules.md))');
  else if (schema.pattern && !schema.format) parts.push(`pattern \`${schema.pattern}\``);
  if (schema.minLength !== undefined) parts.push(`min length ${String(schema.minLength)}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${String(schema.maxLength)}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${String(schema.minimum)}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${String(schema.exclusiveMinimum)}`);
  if (schema.maximum !== undefined && schema.maximum !== SAFE_INTEGER_MAX) parts.push(`≤ ${String(schema.maximum)}`);
  if (schema.minItems !== undefined) parts.push(`at least ${String(schema.minItems)} items`);
  return parts.join(', ') || '—';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
