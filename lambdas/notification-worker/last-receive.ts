import type { SQSRecord } from 'aws-lambda';
import { intEnv } from '../shared/config';
import { NOTIFICATION_WORKER_ENV } from './environment';

/**
 * Whether this receive of a message is the last one SQS allows before its redrive policy moves it
 * to the DLQ: `ApproximateReceiveCount` has reached the queue's `maxReceiveCount`.
 *
 * On that receive the worker dead-letters a failed delivery itself (reason `delivery_failed`, the
 * last error in the attributes) instead of failing it once more, so the letter says why. The count
 * is approximate (a receive that timed out still counts); the queue's redrive stays the backstop.
 *
 * @param maxReceiveCount the queue's redrive `maxReceiveCount`; undefined = never (SQS decides).
 * @example
 * isLastReceive({ attributes: { ApproximateReceiveCount: '5' }, … }, 5) // true
 */
export function isLastReceive(record: Pick<SQSRecord, 'attributes'>, maxReceiveCount: number | undefined): boolean {
  if (maxReceiveCount === undefined) return false;
  const received = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(received) && received >= maxReceiveCount;
}

/**
 * The notifications queue's `maxReceiveCount`, which the stack passes as `MAX_RECEIVE_COUNT` (from
 * the queue's redrive policy, so the number has one source). Unset: undefined, SQS's redrive alone.
 *
 * @throws {ConfigurationError} when it is set but not a positive integer.
 */
export function maxReceiveCountFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return env[NOTIFICATION_WORKER_ENV.maxReceiveCount] ? intEnv(NOTIFICATION_WORKER_ENV.maxReceiveCount, 1, env) : undefined;
}
