/**
 * The Powertools Tracer, built as its own file next to each function's `index.js`
 * (`xray-tracer.js`, see `TRACER_FILE` in lib/sluice-function.ts): the Tracer and aws-xray-sdk-core
 * are about a third of a function's bytes, and only a function on AWS with active tracing runs them.
 * `./tracing.ts` requires this module the first time it needs a Tracer; the function bundle leaves
 * that require as is, so this code is neither compiled nor evaluated at module init.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

/** A Tracer for the function's service (its `POWERTOOLS_SERVICE_NAME`). */
export function createTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName });
}
