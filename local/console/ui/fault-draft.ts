/**
 * The chaos section's add-fault form as data (no Preact here, so unit tests and the Node
 * type-check import it): what the form holds and the rule it posts.
 */
import type { FaultRuleInput, FaultService } from '../../endpoint/chaos';

/** The add-fault form's fields, as typed. */
export interface Draft {
  service: FaultService;
  operation: string;
  match: string;
  probability: string;
  times: string;
  statusCode: string;
  code: string;
  latencyMs: string;
}

export const EMPTY_DRAFT: Draft = { service: 'dynamodb', operation: '', match: '', probability: '', times: '', statusCode: '', code: '', latencyMs: '' };

/** The rule a filled-in form posts: only the fields given, numbers as numbers, `a, b` as two required substrings (the API validates the rest). */
export function ruleFromDraft(draft: Draft): FaultRuleInput {
  const num = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const matches = draft.match
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const error = { statusCode: num(draft.statusCode), code: draft.code.trim() || undefined };
  const rule = {
    service: draft.service,
    operation: draft.operation.trim() || undefined,
    match: matches.length > 1 ? matches : matches[0],
    probability: num(draft.probability),
    times: num(draft.times),
    latencyMs: num(draft.latencyMs),
    error: error.statusCode === undefined && error.code === undefined ? undefined : error,
  };
  return JSON.parse(JSON.stringify(rule)) as FaultRuleInput;
}
