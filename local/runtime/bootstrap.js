'use strict';
/**
 * One Lambda sandbox: loads the function's bundled asset once (the init phase), then runs one
 * invocation at a time as the parent sends them over IPC, as the Node.js managed runtime (its
 * runtime interface client) does: the same handler lookup, the same init and invoke error types,
 * callback handlers refused from Node.js 24 on, `_X_AMZN_TRACE_ID` set per invocation.
 *
 * Plain JavaScript on purpose: the child runs on the function's own Node with no loader.
 *
 * Messages in:  { type: 'invoke', id, payload, deadline, traceId, context: { functionName, ... } }
 *               (payload = the event as JSON text: parsed here, as the runtime parses what the service sends)
 * Messages out: { type: 'ready' } | { type: 'init-error', error }
 *               | { type: 'result', id, payload } (payload = JSON text)
 *               | { type: 'error', id, error, fatal? } (fatal: the sandbox exits, as after an uncaught error;
 *                 id is undefined when it happened before the thawing invocation reached the handler)
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerSpec = process.env._HANDLER;
/** The runtime's Node major from AWS_EXECUTION_ENV (not process.version: the host's Node may stand in). */
const runtimeMajor = Number((/nodejs(\d+)\.x$/.exec(process.env.AWS_EXECUTION_ENV || '') || [])[1] || 0);
/** Node.js 24 runs the rewritten runtime client: no callbacks, no context.done/succeed/fail. */
const modernRuntime = runtimeMajor >= 24;

/** The runtime client's message when it refuses a callback handler on Node.js 24 and later. */
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. ' +
  'You need to modify this function to use a supported handler signature to use Node.js 24 or later. ' +
  'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

let current; // id of the invocation in flight
let initialized = false;

function runtimeError(type, message) {
  const error = new Error(message);
  error.name = `Runtime.${type}`;
  return error;
}

/** The runtime client's error payload: errorType is the error's `name`; a non-Error is reported by its type. */
function serializeError(error) {
  try {
    if (error instanceof Error) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: modernRuntime ? String(error) : error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

function send(message) {
  if (process.connected) process.send(message);
}

/** `dir/file.export.path` → module root, module name and export path, as the runtime client parses it. */
function parseHandler(spec) {
  if (spec.includes('..')) {
    throw runtimeError('MalformedHandlerName', `'${spec}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(spec);
  const moduleRoot = spec.substring(0, spec.indexOf(handlerString)).replace(/\/$/, '');
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  return { moduleRoot, moduleName: match[1], exportPath: match[2] };
}

async function loadModule({ moduleRoot, moduleName }) {
  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  try {
    for (const extension of ['', '.js', '.mjs', '.cjs']) {
      const file = `${base}${extension}`;
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return await import(pathToFileURL(file).href);
    }
    return require(require.resolve(moduleName, { paths: [taskRoot, path.join(taskRoot, moduleRoot)] }));
  } catch (cause) {
    if (cause instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(cause));
    if (cause && cause.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(cause));
    throw cause;
  }
}

function findExport(loaded, exportPath) {
  const find = (root) => exportPath.split('.').reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), root);
  let fn = find(loaded);
  if (!fn && loaded && typeof loaded === 'object' && 'default' in loaded) fn = find(loaded.default);
  if (!fn) throw runtimeError('HandlerNotFound', `${handlerSpec} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('HandlerNotFound', `${handlerSpec} is not a function`);
  return fn;
}

async function loadHandler() {
  const parsed = parseHandler(handlerSpec);
  const handler = findExport(await loadModule(parsed), parsed.exportPath);
  const streaming = handler[Symbol.for('aws.lambda.runtime.handler.streaming')] === 'response';
  if (modernRuntime && handler.length >= 3 && !streaming) throw runtimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
  return handler;
}

function makeContext(message) {
  const { context, deadline } = message;
  const base = { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  if (modernRuntime) return base;
  return { ...base, callbackWaitsForEmptyEventLoop: true, done: () => undefined, succeed: () => undefined, fail: () => undefined };
}

function reply(id, outcome) {
  if (current !== id) return; // already answered (callback and promise both settled)
  current = undefined;
  if ('error' in outcome) {
    send({ type: 'error', id, error: serializeError(outcome.error) });
    return;
  }
  let payload;
  try {
    // The runtime serializes the result with JSON.stringify; undefined becomes null.
    payload = JSON.stringify(outcome.result === undefined ? null : outcome.result);
    if (payload === undefined) payload = 'null';
  } catch {
    send({ type: 'error', id, error: { errorType: 'Runtime.JSONStringifyError', errorMessage: 'Unable to stringify response body', trace: [] } });
    return;
  }
  send({ type: 'result', id, payload });
}

function invoke(handler, message) {
  const { id } = message;
  current = id;
  // The runtime moves the invocation's X-Ray header into the environment before calling the handler.
  if (message.traceId) process.env._X_AMZN_TRACE_ID = message.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  const context = makeContext(message);
  const event = JSON.parse(message.payload);
  let settledByCallback = false;
  const callback = (error, result) => {
    settledByCallback = true;
    reply(id, error == null ? { result } : { error });
  };
  try {
    const returned = modernRuntime ? handler(event, context) : handler(event, context, callback);
    if (returned && typeof returned.then === 'function') {
      returned.then(
        (result) => reply(id, { result }),
        (error) => reply(id, { error }),
      );
    } else if (modernRuntime || (handler.length < 3 && !settledByCallback)) {
      // A handler that does not take a callback: its return value is the result.
      reply(id, { result: returned });
    }
  } catch (error) {
    reply(id, { error });
  }
}

/** Like the managed runtime: an uncaught error fails the invocation in flight (or the init) and ends the sandbox. */
function crash(error, exitCode) {
  const serialized = serializeError(error);
  // Between invocations (overdue work run just after a thaw) `current` is not set yet: the parent
  // charges the error to the invocation that thawed the sandbox, as AWS charges it to the next one.
  if (!initialized) send({ type: 'init-error', error: serialized });
  else send({ type: 'error', id: current, error: serialized, fatal: true });
  current = undefined;
  process.stderr.write(
    `${new Date().toISOString()}\tundefined\tERROR\t${exitCode === 128 ? 'Unhandled Promise Rejection' : 'Uncaught Exception'} \t${JSON.stringify(serialized)}\n`,
  );
  setImmediate(() => process.exit(exitCode));
}

process.on('uncaughtException', (error) => crash(error, 129));
process.on('unhandledRejection', (reason) => {
  const error = new Error(String(reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  crash(error, 128);
});
process.on('disconnect', () => process.exit(0));

loadHandler().then(
  (handler) => {
    initialized = true;
    process.on('message', (message) => {
      if (message && message.type === 'invoke') invoke(handler, message);
    });
    send({ type: 'ready' });
  },
  (error) => {
    send({ type: 'init-error', error: serializeError(error) });
    setImmediate(() => process.exit(1));
  },
);
