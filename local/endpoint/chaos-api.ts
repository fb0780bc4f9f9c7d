/**
 * The chaos API (`/_sluice/chaos/faults`): lists, adds, replaces and removes the fault rules over
 * HTTP. `POST` adds rules (a list, one rule, or `{faults: [...]}`), `PUT` replaces them, `GET`
 * lists, `DELETE` clears (or `DELETE …/<id>` removes one).
 */
import { FaultValidationError, parseFaultRule, type FaultInjector } from './chaos';
import { decodePathSegment, jsonAnswer, messageOf } from './http-answers';
import { CHAOS_PATH } from './router';
import type { HttpAnswer } from './sqs-query';

/** The answer to one chaos API request; an invalid rule or id is a 400 naming it. */
export function answerChaosApi(chaos: FaultInjector, method: string, path: string, body: Buffer): HttpAnswer {
  const id = path.split('?')[0].slice(CHAOS_PATH.length + 1) || undefined;
  try {
    switch (method.toUpperCase()) {
      case 'GET':
        return jsonAnswer(200, { faults: chaos.list() });
      case 'DELETE':
        return removeRules(chaos, id);
      case 'POST':
      case 'PUT':
        return addRules(chaos, method.toUpperCase() === 'PUT', body);
      default:
        return jsonAnswer(405, { error: 'method_not_allowed', message: `use GET, POST, PUT or DELETE on ${CHAOS_PATH} (got ${method})` });
    }
  } catch (error) {
    if (error instanceof FaultValidationError) return jsonAnswer(400, { error: 'validation_failed', message: error.message });
    return jsonAnswer(500, { error: 'internal_error', message: messageOf(error) });
  }
}

function removeRules(chaos: FaultInjector, id: string | undefined): HttpAnswer {
  if (id !== undefined && decodePathSegment(id) === undefined)
    throw new FaultValidationError(`the fault id in the path is not valid percent-encoding (got "${id}")`);
  return jsonAnswer(200, { removed: chaos.clear(id ? decodePathSegment(id) : undefined), faults: chaos.list() });
}

function addRules(chaos: FaultInjector, replace: boolean, body: Buffer): HttpAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || '[]');
  } catch (cause) {
    throw new FaultValidationError(`the body must be JSON: a list of fault rules (${(cause as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : ((parsed as { faults?: unknown })?.faults ?? [parsed]);
  if (!Array.isArray(list)) throw new FaultValidationError('the body must be a list of fault rules or {"faults": [...]}');
  const rules = list.map((rule, index) => parseFaultRule(rule, index));
  if (replace) chaos.clear();
  const added = chaos.add(rules);
  return jsonAnswer(200, { added, faults: chaos.list() });
}
