/**
 * How a console route refuses input: a 4xx `{error, message}` that names the field and says how
 * to fix it (DESIGN.md's error body). Routes throw a {@link ConsoleRefusal}; the console's handler
 * turns it into the answer, so no refused input ever becomes a 5xx.
 */
import { jsonAnswer } from '../../endpoint/http-answers';
import type { HttpAnswer } from '../../endpoint/sqs-query';

export class ConsoleRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 409 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleRefusal';
  }

  get answer(): HttpAnswer {
    return jsonAnswer(this.status, { error: this.code, message: this.message });
  }
}

/** A 400 `validation_failed` naming the field. */
export function invalid(field: string, problem: string): ConsoleRefusal {
  return new ConsoleRefusal(400, 'validation_failed', `${field} ${problem}`);
}

/** A 404 `not_found`. */
export function notFound(message: string): ConsoleRefusal {
  return new ConsoleRefusal(404, 'not_found', message);
}
