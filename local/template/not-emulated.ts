/**
 * Resource types of a template that the local cloud does not run, listed at start-up instead of
 * being dropped in silence: a reader of `npm start` should know that, say, the WAF web ACL does not
 * exist locally and what stands in for it.
 */
import type { LocalNotEmulatedType } from '../model';
import type { CfnResource } from './loader';

/** Types the loader turns into something that runs (tables, streams, queues, functions, mappings, the REST API). */
const EMULATED_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::Kinesis::Stream',
  'AWS::SQS::Queue',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::UsagePlan',
]);

/** CDK's own bookkeeping, nothing a user deploys. */
const IGNORED_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);

const NOT_ENFORCED = 'not enforced: locally every function may call every resource (the infra tests check the policies)';
const NO_METRICS = 'not emulated: the local cloud keeps no metrics';

/** What a type that does not run locally means there, and what stands in for it. */
const REASONS: Readonly<Record<string, string>> = {
  'AWS::WAFv2::WebACL': "not emulated; the local API answers 413 itself (a body over Lambda's 6 MB invoke limit)",
  'AWS::WAFv2::WebACLAssociation': 'not emulated; the local API answers 413 itself',
  'AWS::SecretsManager::Secret': 'not emulated; a function gets the value in an environment variable (docs/local-cloud-differences.md)',
  'AWS::IAM::Role': NOT_ENFORCED,
  'AWS::IAM::Policy': NOT_ENFORCED,
  'AWS::Lambda::Permission': NOT_ENFORCED,
  'AWS::SQS::QueuePolicy': NOT_ENFORCED,
  'AWS::CloudWatch::Alarm': NO_METRICS,
  'AWS::CloudWatch::Dashboard': NO_METRICS,
  'AWS::Logs::LogGroup': "not created: npm start prints each function's output, prefixed with its name",
  'AWS::ApiGateway::Deployment': "not needed: the local API serves the template's methods at once",
  'AWS::ApiGateway::ApiKey': 'stood in for by one local key (SLUICE_API_KEY, default local-dev-key)',
  'AWS::ApiGateway::UsagePlanKey': 'stood in for by one local key (SLUICE_API_KEY, default local-dev-key)',
};

/** What the local cloud says of a type it has no entry for. */
export const UNKNOWN_TYPE_REASON = 'not emulated: the resource does not exist locally; test what it does on LocalStack or AWS';

/**
 * Every resource type of `resources` the local cloud does not run, once per type with its count
 * and why, sorted by type.
 *
 * @example
 * notEmulatedTypes({ Acl: { Type: 'AWS::WAFv2::WebACL' } })
 * // [{ type: 'AWS::WAFv2::WebACL', count: 1, reason: 'not emulated; the local API answers 413 itself …' }]
 */
export function notEmulatedTypes(resources: Iterable<Pick<CfnResource, 'Type'>>): LocalNotEmulatedType[] {
  const counts = new Map<string, number>();
  for (const { Type } of resources) {
    if (EMULATED_TYPES.has(Type) || IGNORED_TYPES.has(Type)) continue;
    counts.set(Type, (counts.get(Type) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count, reason: REASONS[type] ?? UNKNOWN_TYPE_REASON }));
}

/** The start-up lines for {@link notEmulatedTypes}: a heading, then one `type ×count  reason` line per type. */
export function notEmulatedLines(types: readonly LocalNotEmulatedType[]): string[] {
  if (types.length === 0) return [];
  const width = Math.max(...types.map((t) => `${t.type} ×${t.count}`.length));
  return ['  not emulated (these resources do not exist locally)', ...types.map((t) => `    ${`${t.type} ×${t.count}`.padEnd(width)}  ${t.reason}`)];
}
