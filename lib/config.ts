import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { QUEUE_CONSUMER_TIMEOUTS, RELAY_DEAD_LETTER_AFTER } from './defaults';

const NOTIFICATION_WORKER_TIMEOUT = QUEUE_CONSUMER_TIMEOUTS.notificationWorker;
const REPLICA_TIMEOUT = QUEUE_CONSUMER_TIMEOUTS.replica;

/** The stages sluice knows. `prod` retains data on stack deletion; `dev` destroys it. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Lambda instruction sets, as the Lambda API names them. */
export const LAMBDA_ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/** Everything that varies per stage, resolved once from CDK context. */
export interface SluiceConfig {
  readonly stage: Stage;
  /** What happens to tables, the stream and queues when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** Save an account snapshot every N events. */
  readonly snapshotEvery: number;
  /** Kinesis: undefined = on-demand capacity; a number = provisioned with that many shards. */
  readonly shardCount?: number;
  readonly streamRetention: Duration;
  /** Optional webhook the notification worker delivers to; unset = log-only delivery. */
  readonly webhookUrl?: string;
  /** Optional address the alarm topic emails every alarm and recovery to (`-c alarmEmail=…`). */
  readonly alarmEmail?: string;
  /** Days CloudWatch keeps function and API access logs. */
  readonly logRetentionDays: number;
  /**
   * Every function's instruction set: `arm64` (default, cheaper per GB-second on AWS) or `x86_64`
   * for LocalStack on an x86 host, which runs `linux/arm64` function containers only with emulation.
   */
  readonly lambdaArchitecture: LambdaArchitecture;
  /** Whether to add the CloudWatch dashboard (`-c dashboard=false` for LocalStack's community CloudFormation, which lacks the type). */
  readonly dashboard: boolean;
  /**
   * Whether to put the WAF web ACL on the API stage (a body too large for a Lambda invoke is a 413):
   * `-c waf=false` for LocalStack's community CloudFormation, which lacks the WAFv2 types.
   */
  readonly waf: boolean;
  /**
   * How far event times (`time`, a swipe's `at`) may lie before and after now (input rules):
   * 7 days and 5 minutes unless widened with `-c eventTimePastDays` / `-c eventTimeFutureMinutes`.
   */
  readonly eventTimePastDays: number;
  readonly eventTimeFutureMinutes: number;
  /**
   * How old an outbox record that still cannot be published must be before the relay sends it
   * whole to its DLQ: 23 h (under the DynamoDB stream's 24 h retention) unless set with
   * `-c relayDeadLetterAfterSeconds` (1 s to 23 h), which a test stage uses to run that path in seconds.
   */
  readonly relayDeadLetterAfterSeconds: number;
  /**
   * The notification worker's timeout, and so its queue's visibility timeout (6×): 30 s unless set
   * with `-c notificationWorkerTimeoutSeconds` (1 to 30 s), which a test stage uses so a message
   * whose delivery keeps failing reaches its last receive in about a minute instead of 12.
   */
  readonly notificationWorkerTimeoutSeconds: number;
  /**
   * The replica's timeout, and so the state-transfer FIFO queue's visibility timeout (6×): 10 s unless
   * set with `-c replicaTimeoutSeconds` (1 to 10 s), which a test stage uses so a message that failed
   * comes back in seconds instead of a minute.
   */
  readonly replicaTimeoutSeconds: number;
}

/**
 * Reads the stage config from context (`-c stage=dev|prod`, `-c snapshotEvery=50`, `-c shardCount=4`,
 * `-c streamRetentionHours=48`, `-c webhookUrl=https://…`, `-c alarmEmail=ops@example.com`, `-c lambdaArchitecture=arm64|x86_64`,
 * `-c dashboard=true|false`, `-c waf=true|false`, `-c eventTimePastDays=30`, `-c eventTimeFutureMinutes=15`,
 * `-c relayDeadLetterAfterSeconds=5`, `-c notificationWorkerTimeoutSeconds=3`, `-c replicaTimeoutSeconds=3`).
 *
 * @throws Error naming the bad value and how to fix it.
 */
export function resolveConfig(node: Node): SluiceConfig {
  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new Error(`stage must be one of ${STAGES.join(', ')} (got "${stage}"); pass it with -c stage=dev`);
  }
  const isProd = stage === 'prod';
  const shardCount = optionalInt(node, 'shardCount', 1, 500);
  return {
    stage: stage as Stage,
    removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    snapshotEvery: optionalInt(node, 'snapshotEvery', 1, 10_000) ?? 50,
    ...(shardCount === undefined ? {} : { shardCount }),
    streamRetention: Duration.hours(optionalInt(node, 'streamRetentionHours', 24, 8760) ?? (isProd ? 168 : 24)),
    ...(node.tryGetContext('webhookUrl') ? { webhookUrl: String(node.tryGetContext('webhookUrl')) } : {}),
    ...alarmEmail(node),
    logRetentionDays: isProd ? 90 : 7,
    lambdaArchitecture: oneOf(node, 'lambdaArchitecture', LAMBDA_ARCHITECTURES) ?? 'arm64',
    dashboard: (oneOf(node, 'dashboard', ['true', 'false'] as const) ?? 'true') === 'true',
    waf: (oneOf(node, 'waf', ['true', 'false'] as const) ?? 'true') === 'true',
    eventTimePastDays: optionalInt(node, 'eventTimePastDays', 1, 365) ?? 7,
    eventTimeFutureMinutes: optionalInt(node, 'eventTimeFutureMinutes', 1, 1440) ?? 5,
    relayDeadLetterAfterSeconds: optionalInt(node, 'relayDeadLetterAfterSeconds', 1, RELAY_DEAD_LETTER_AFTER.toSeconds()) ?? RELAY_DEAD_LETTER_AFTER.toSeconds(),
    notificationWorkerTimeoutSeconds:
      optionalInt(node, 'notificationWorkerTimeoutSeconds', 1, NOTIFICATION_WORKER_TIMEOUT.toSeconds()) ?? NOTIFICATION_WORKER_TIMEOUT.toSeconds(),
    replicaTimeoutSeconds: optionalInt(node, 'replicaTimeoutSeconds', 1, REPLICA_TIMEOUT.toSeconds()) ?? REPLICA_TIMEOUT.toSeconds(),
  };
}

function oneOf<T extends string>(node: Node, key: string, allowed: readonly T[]): T | undefined {
  const raw = node.tryGetContext(key);
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(String(raw))) {
    throw new Error(`${key} must be one of ${allowed.join(', ')} (got "${raw}"); pass it with -c ${key}=${allowed[0]}`);
  }
  return String(raw) as T;
}

function optionalInt(node: Node, key: string, min: number, max: number): number | undefined {
  const raw = node.tryGetContext(key);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${key} must be an integer from ${min} to ${max} (got "${raw}"); pass it with -c ${key}=${min}`);
  }
  return value;
}

/** `-c alarmEmail`, checked loosely up front: a typo would otherwise deploy an alarm topic that reaches nobody. */
function alarmEmail(node: Node): { alarmEmail?: string } {
  const raw = node.tryGetContext('alarmEmail');
  if (raw === undefined || raw === '') return {};
  const value = String(raw).trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw new Error(`alarmEmail must be an email address (got "${raw}"); pass it with -c alarmEmail=ops@example.com`);
  }
  return { alarmEmail: value };
}
