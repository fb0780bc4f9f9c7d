'use strict';
/**
 * One Lambda sandbox: loads the function's bundled asset once (the init phase), then runs one
 * invocation at a time as the parent sends them over IPC, like the Node.js managed runtime.
 *
 * Plain JavaScript on purpose: the child runs with the function's own environment and no loader.
 *
 * Messages in:  { type: 'invoke', id, event, deadline, context: { functionName, ... } }
 * Messages out: { type: 'ready' } | { type: 'init-error', error }
 *               | { type: 'result', id, payload } (payload = JSON text) | { type: 'error', id, error }
 */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerSpec = process.env._HANDLER;

let current; // id of the invocation in flight

function serializeError(error, fallbackType) {
  if (error instanceof Error) {
    return {
      errorType: error.name && error.name !== 'Error' ? error.name : (error.constructor && error.constructor.name) || fallbackType,
      errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  // The Node.js runtime reports a thrown non-Error by its type, the value as the message.
  let message;
  try { message = typeof error === 'string' ? error : JSON.stringify(error); } catch { message = String(error); }
  return { errorType: typeof error, errorMessage: message, trace: [] };
}

function send(message) {
  if (process.connected) process.send(message);
}

async function loadHandler() {
  const dot = handlerSpec.lastIndexOf('.');
  const moduleName = handlerSpec.slice(0, dot);
  const exportPath = handlerSpec.slice(dot + 1);
  const base = path.resolve(taskRoot, moduleName);
  const candidates = [`${base}.js`, `${base}.cjs`, `${base}.mjs`];
  const fs = require('node:fs');
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) {
    const error = new Error(`Cannot find module '${moduleName}'`);
    error.name = 'Runtime.ImportModuleError';
    throw error;
  }
  let loaded;
  try {
    loaded = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (cause) {
    if (cause && cause.code === 'ERR_REQUIRE_ESM') loaded = await import(pathToFileURL(file).href);
    else throw cause;
  }
  const fn = exportPath.split('.').reduce((value, key) => (value == null ? undefined : value[key]), loaded);
  if (typeof fn !== 'function') {
    const error = new Error(`${handlerSpec} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return fn;
}

function makeContext(message) {
  const { context, deadline } = message;
  return {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    succeed: () => undefined,
    fail: () => undefined,
  };
}

function reply(id, outcome) {
  if (current !== id) return; // already answered (callback and promise both settled)
  current = undefined;
  if (outcome.error !== undefined) {
    send({ type: 'error', id, error: serializeError(outcome.error, 'Error') });
    return;
  }
  let payload;
  try {
    // Lambda serializes the result with JSON.stringify; undefined becomes null.
    payload = JSON.stringify(outcome.result === undefined ? null : outcome.result);
    if (payload === undefined) payload = 'null';
  } catch (cause) {
    send({ type: 'error', id, error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${cause.message}`, trace: [] } });
    return;
  }
  send({ type: 'result', id, payload });
}

function invoke(handler, message) {
  const { id, event } = message;
  current = id;
  const context = makeContext(message);
  let settledByCallback = false;
  const callback = (error, result) => {
    settledByCallback = true;
    reply(id, error == null ? { result } : { error });
  };
  try {
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => reply(id, { result }), (error) => reply(id, { error: error === undefined ? new Error('undefined') : error }));
    } else if (handler.length < 3 && !settledByCallback) {
      // A non-async handler without a callback parameter: its return value is the result.
      reply(id, { result: returned });
    }
  } catch (error) {
    reply(id, { error });
  }
}

function crash(error) {
  // Like the managed runtime: an uncaught error fails the invocation in flight and ends the sandbox.
  const serialized = serializeError(error, 'Error');
  if (current !== undefined) {
    send({ type: 'error', id: current, error: { ...serialized, errorType: error instanceof Error ? serialized.errorType : 'Runtime.UnhandledPromiseRejection' } });
    current = undefined;
  }
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(serialized)}\n`);
  setImmediate(() => process.exit(129));
}

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
process.on('disconnect', () => process.exit(0));

loadHandler().then(
  (handler) => {
    process.on('message', (message) => {
      if (message && message.type === 'invoke') invoke(handler, message);
    });
    send({ type: 'ready' });
  },
  (error) => {
    const serialized = serializeError(error, 'Runtime.ImportModuleError');
    if (!String(serialized.errorType).startsWith('Runtime.')) {
      serialized.errorMessage = `${serialized.errorType}: ${serialized.errorMessage}`;
      serialized.errorType = 'Runtime.ImportModuleError';
    }
    send({ type: 'init-error', error: serialized });
    setImmediate(() => process.exit(1));
  },
);
