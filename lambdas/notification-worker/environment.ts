import { SHARED_ENV } from '../shared/environment';

/** The notification worker's environment contract: the stack sets each variable, the handler reads it by this name. */
export const NOTIFICATION_WORKER_ENV = {
  deliveriesTableName: 'DELIVERIES_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  /** How long a delivery is remembered: at least the events stream's retention. */
  idempotencyWindowSeconds: 'IDEMPOTENCY_WINDOW_SECONDS',
  /** The notifications queue's maxReceiveCount: on that receive a failed delivery is dead-lettered with its reason. */
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  /** Optional (`-c webhookUrl`): without it deliveries are logged only. */
  webhookUrl: 'WEBHOOK_URL',
  /** Set by the stack with the webhook URL: the ARN of the signing key's secret. */
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  /** Set by the local cloud instead (no Secrets Manager there): the key itself. */
  webhookSecret: 'WEBHOOK_SECRET',
  dlqUrl: SHARED_ENV.dlqUrl,
} as const;
