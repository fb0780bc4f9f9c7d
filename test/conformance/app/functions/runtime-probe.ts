/**
 * The runtime probe, invoked directly: reports its environment and context, fails, sleeps, or
 * measures whether un-awaited work ran between two invocations (the freeze).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/** Identifies this sandbox: a new one after a timeout has a new id. */
const sandboxId = randomUUID();

let freeze: { armedAt: number; ticks: number; timer: NodeJS.Timeout } | undefined;

class ProbeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

const ENV_NAMES = [
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_LOG_FORMAT',
  'AWS_EXECUTION_ENV',
  '_X_AMZN_TRACE_ID',
  'TZ',
  'LAMBDA_TASK_ROOT',
  '_HANDLER',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'LANG',
];

interface RuntimeEvent {
  readonly action: 'env' | 'throw' | 'throw-type' | 'sleep' | 'freeze-arm' | 'freeze-read' | 'undefined' | 'sandbox';
  readonly message?: string;
  readonly ms?: number;
}

interface LambdaContext {
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

export const handler = async (event: RuntimeEvent, context: LambdaContext): Promise<unknown> => {
  switch (event.action) {
    case 'env': {
      const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '';
      const handlerFile = (process.env._HANDLER ?? '').split('.')[0];
      return {
        env: Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name] ?? null])),
        nodeVersion: process.version,
        handlerFileInTaskRoot: existsSync(path.join(taskRoot, `${handlerFile}.js`)) || existsSync(path.join(taskRoot, `${handlerFile}.mjs`)),
        timezoneOffset: new Date().getTimezoneOffset(),
        context: {
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          memoryLimitInMB: context.memoryLimitInMB,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          awsRequestId: context.awsRequestId,
          invokedFunctionArn: context.invokedFunctionArn,
          remainingTimeInMillis: context.getRemainingTimeInMillis(),
        },
      };
    }
    case 'throw':
      throw new ProbeError(event.message ?? 'probe error');
    case 'throw-type':
      throw new TypeError(event.message ?? 'probe type error');
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, event.ms ?? 0));
      return { slept: event.ms, sandboxId };
    case 'freeze-arm': {
      if (freeze) clearInterval(freeze.timer);
      const state = {
        armedAt: Date.now(),
        ticks: 0,
        timer: setInterval(() => {
          state.ticks += 1;
        }, 10),
      };
      freeze = state;
      return { sandboxId };
    }
    case 'freeze-read': {
      if (!freeze) return { armed: false, sandboxId };
      clearInterval(freeze.timer);
      const result = { armed: true, ticks: freeze.ticks, elapsedMs: Date.now() - freeze.armedAt, sandboxId };
      freeze = undefined;
      return result;
    }
    case 'undefined':
      return undefined;
    case 'sandbox':
      return { sandboxId };
  }
};
