/** Reading CloudFormation property values as CloudFormation does (booleans and numbers may be strings). */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../model';
import { TemplateError } from './intrinsics';

/** The local ARN of a resource: account `000000000000`, region `us-east-1`. */
export function localArn(service: string, resource: string): string {
  return `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
}

export function resolvedString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TemplateError(`expected a string, got ${JSON.stringify(value)}`, where);
  return value;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function toNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
