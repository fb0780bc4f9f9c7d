/**
 * AWS X-Ray through the Powertools Tracer, loaded only where it can send anything: on Lambda with
 * active tracing (Lambda then sets `AWS_XRAY_DAEMON_ADDRESS`). The local cloud and tests never
 * load it, and on AWS it is required on the first invocation, not at module init. It is not even in
 * the function's `index.js`: `./xray-tracer` is a second file of the function's asset
 * (lib/sluice-function.ts), so its bytes are not compiled at init either (docs/tracing.md for what it
 * costs and what X-Ray links, docs/benchmarks.md for the bundle sizes).
 *
 * `POWERTOOLS_TRACE_ENABLED=false` switches it off on AWS too.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SHARED_ENV } from './environment';

/** Whether this process sends X-Ray segments: Lambda's X-Ray daemon is there and tracing is not switched off. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_XRAY_DAEMON_ADDRESS) && env.POWERTOOLS_TRACE_ENABLED !== 'false' && env.SLUICE_LOCAL !== '1';
}

let tracer: Tracer | undefined;

/**
 * The container's Tracer, created on first use; `undefined` when tracing is off. SDK clients made
 * after it exists are captured (`captureClient`), so their calls are X-Ray subsegments.
 */
export function getTracer(): Tracer | undefined {
  if (!tracingEnabled()) return undefined;
  if (!tracer) {
    // A require, not an import: the Tracer (and aws-xray-sdk-core) is only evaluated here, and
    // synchronously, so the SDK client getters that capture their client stay synchronous. The
    // function bundle keeps this require (TRACER_FILE): it loads `xray-tracer.js` next to `index.js`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createTracer } = require('./xray-tracer') as typeof import('./xray-tracer');
    tracer = createTracer(process.env[SHARED_ENV.powertoolsServiceName] ?? 'sluice');
  }
  return tracer;
}

/** The client, captured by the Tracer when tracing is on (its calls become subsegments). */
export function captureClient<T>(client: T): T {
  return getTracer()?.captureAWSv3Client(client) ?? client;
}

/**
 * Runs one invocation in a `## <handler>` subsegment with the cold-start and service annotations,
 * and the error as metadata when it throws; just runs it when tracing is off.
 */
export async function traced<T>(name: string, work: () => Promise<T>): Promise<T> {
  const active = getTracer();
  const segment = active?.getSegment();
  if (!active || !segment) return work();
  const subsegment = segment.addNewSubsegment(`## ${name}`);
  active.setSegment(subsegment);
  active.annotateColdStart();
  active.addServiceNameAnnotation();
  try {
    return await work();
  } catch (error) {
    active.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    active.setSegment(segment);
  }
}
