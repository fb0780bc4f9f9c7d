/**
 * The console's request handler: routes each request (routes.ts) to what answers it and writes
 * the answer. A refused input is its 4xx `{error, message}`; anything else that fails is a 500 on
 * that request alone (the endpoint's own rule), never a crash.
 */
import type http from 'node:http';
import type { ConsoleHandler } from '../../endpoint/local-tools';
import { answerLater, answerWithBody, failRequest, jsonAnswer, writeAnswer, type AnyResponse } from '../../endpoint/http-answers';
import type { HttpAnswer } from '../../endpoint/sqs-query';
import type { ConsoleApi } from './console-api';
import { parseFeedQuery } from './feed-filter';
import { assetAnswer, pageAnswer } from './page';
import { ConsoleRefusal } from './refusal';
import { consoleRouteOf } from './routes';

/** The answer `work` produces as JSON (200), or its refusal. */
async function json(work: () => Promise<unknown> | unknown): Promise<HttpAnswer> {
  try {
    return jsonAnswer(200, await work());
  } catch (error) {
    if (error instanceof ConsoleRefusal) return error.answer;
    throw error;
  }
}

export function consoleHandler(api: ConsoleApi): ConsoleHandler {
  return (req, res, path) => {
    try {
      const route = consoleRouteOf(req.method ?? 'GET', path);
      switch (route.kind) {
        case 'page':
          return answerLater(res, async () => pageAnswer(undefined, await api.pageBuild));
        case 'asset':
          return void api.pageBuild.then(() => sendAsset(res, route.file));
        case 'topology':
          return answerLater(res, () => json(() => api.topology()));
        case 'consumers':
          return answerLater(res, () => json(() => api.consumers()));
        case 'events':
          return answerLater(res, () => json(() => api.events(route.query)));
        case 'live':
          return api.live.attach(res, parseFeedQuery(new URL(path, 'http://localhost').searchParams).filter);
        case 'dlqs':
          return answerLater(res, () => json(() => api.dlqs()));
        case 'redrive':
          return answerWithBody(req, res, (body) => json(() => api.redrive(route.dlq, body)));
        case 'stream':
          return answerLater(res, () => json(() => api.stream(route.streamId)));
        case 'trace':
          return answerLater(res, () => json(() => api.trace(route.id)));
      }
    } catch (error) {
      if (error instanceof ConsoleRefusal) return writeAnswer(res, error.answer);
      failRequest(res, error);
    }
  };
}

async function sendAsset(res: AnyResponse, file: string): Promise<void> {
  try {
    const asset = await assetAnswer(file);
    if (res.headersSent || res.destroyed) return;
    (res as http.ServerResponse).writeHead(200, { ...asset.headers, 'content-length': asset.content.length });
    res.end(asset.content);
  } catch (error) {
    if (error instanceof ConsoleRefusal) return writeAnswer(res, error.answer);
    failRequest(res, error);
  }
}
