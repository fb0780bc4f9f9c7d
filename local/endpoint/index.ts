/**
 * The local AWS endpoint: one port that speaks for every emulator. Each concern has its module:
 * sniffer.ts (HTTP/1.1 or HTTP/2 per connection), servers.ts (listening), router.ts (where a request
 * goes), dispatch.ts (one handler per route), proxy.ts (to the emulators), chaos-layer.ts and
 * chaos-api.ts (fault injection), lambda-api.ts (the Lambda REST API), sqs-front.ts (the SQS query
 * protocol and emulated actions), local-tools.ts (`/_sluice/` guard and settled signal) and
 * wake-ups.ts (source writes that wake the mapping pollers).
 */
import { FaultInjector } from './chaos';
import { ChaosLayer } from './chaos-layer';
import { createDispatcher, type RequestCounts } from './dispatch';
import type { LambdaApiHandler } from './lambda-api';
import type { ConsoleHandler, SettledHandler } from './local-tools';
import { EmulatorProxy } from './proxy';
import type { AwsService } from './router';
import { listenOnLoopback } from './servers';
import { SourceWriteListeners, type SourceWriteListener } from './wake-ups';

export { routeRequest, routeOf, CHAOS_PATH, CONSOLE_PATH, SETTLED_PATH, type AwsService, type Route } from './router';
export { ReplaySocket } from './replay-socket';
export { serveSqsQuery, toJsonCall, queryResultXml, queryErrorXml, queryErrorOf, isSqsQueryRequest } from './sqs-query';
export { crossSiteRefusal, type ConsoleHandler, type SettledHandler } from './local-tools';
export { FaultInjector, parseFaultRule, FAULT_SERVICES } from './chaos';
export type { FaultRule, FaultRuleInput, FaultService, FaultError } from './chaos';
export { decodePathSegment } from './http-answers';
export { sniffProtocol } from './sniffer';
export type { LambdaApiHandler } from './lambda-api';

export interface AwsEndpointOptions {
  /** Emulator base URLs, e.g. `http://127.0.0.1:45123`. */
  readonly targets: Readonly<Record<AwsService, string>>;
  /** Port to listen on; default `SLUICE_AWS_PORT` or 4566; 0 = any free port. */
  readonly port?: number;
  /** Extra loopback addresses besides 127.0.0.1 (default `::1`, skipped where IPv6 is off). */
  readonly extraHosts?: readonly string[];
}

export interface AwsEndpoint {
  /** `http://localhost:<port>`: what to give SDK clients (`endpoint`) or `AWS_ENDPOINT_URL`. */
  readonly url: string;
  readonly port: number;
  /** Requests served per service (and `unrouted`), for diagnostics. */
  readonly requestCounts: Readonly<RequestCounts>;
  /** The fault rules applied to requests passing through (also reachable over HTTP at CHAOS_PATH). */
  readonly chaos: FaultInjector;
  /** Serves the Lambda API with this handler from now on (undefined: Lambda API requests get 503). */
  attachLambda(handler: LambdaApiHandler | undefined): void;
  /** Serves `GET /_sluice/settled` with this handler from now on (undefined: 503, the runtime is not running). */
  attachSettled(handler: SettledHandler | undefined): void;
  /** Serves the live console (`/_sluice/console/…`) with this handler from now on (undefined: 503). */
  attachConsole(handler: ConsoleHandler | undefined): void;
  /** Calls `listener` after each successful write to a stream source; returns the unsubscribe function. */
  onWrite(listener: SourceWriteListener): () => void;
  stop(): Promise<void>;
}

/** Default port of the local AWS endpoint: `SLUICE_AWS_PORT`, else 4566 (LocalStack's). */
export function defaultAwsPort(): number {
  const raw = process.env.SLUICE_AWS_PORT;
  if (raw === undefined || raw === '') return 4566;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SLUICE_AWS_PORT must be a port number 0-65535 (got "${raw}")`);
  }
  return port;
}

/**
 * Starts one AWS-compatible endpoint that forwards each request to the emulator of its service.
 *
 * Dispatches on `X-Amz-Target` (`Kinesis_20131202.`, `DynamoDB_20120810.`,
 * `DynamoDBStreams_20120810.`, `AmazonSQS.`; form bodies go to SQS). Speaks HTTP/1.1 and
 * cleartext HTTP/2 with prior knowledge on the same port, so the SDK's Kinesis client works
 * with its default HTTP/2 handler. SQS requests reach fauxqs with `Host: localhost:<port>`, so
 * the queue URLs it hands out point back at this endpoint.
 *
 * @throws when the port is taken (`EADDRINUSE`: set SLUICE_AWS_PORT to another port)
 */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const counts: RequestCounts = { kinesis: 0, dynamodb: 0, sqs: 0, lambda: 0, unrouted: 0 };
  const chaos = new ChaosLayer(new FaultInjector());
  const wakeUps = new SourceWriteListeners();
  let publicPort = 0;
  let lambdaApi: LambdaApiHandler | undefined;
  let settled: SettledHandler | undefined;
  let consoleHandler: ConsoleHandler | undefined;
  const proxy = new EmulatorProxy({ targets: options.targets, publicPort: () => publicPort, onSourceWrite: (write, place) => wakeUps.notify(write, place) });
  const sqs = { chaos, send: proxy.sendSqsJson.bind(proxy), publicUrl: () => `http://localhost:${publicPort}`, sqsHost: proxy.targets.sqs.host };
  const handle = createDispatcher({ chaos, proxy, sqs, counts, lambdaApi: () => lambdaApi, settled: () => settled, console: () => consoleHandler });
  const servers = await listenOnLoopback(options.port ?? defaultAwsPort(), options.extraHosts ?? ['::1'], handle);
  publicPort = servers.port;
  return {
    url: `http://localhost:${publicPort}`,
    port: publicPort,
    requestCounts: counts,
    chaos: chaos.rules,
    attachLambda: (handler) => {
      lambdaApi = handler;
    },
    attachSettled: (handler) => {
      settled = handler;
    },
    attachConsole: (handler) => {
      consoleHandler = handler;
    },
    onWrite: (listener) => wakeUps.subscribe(listener),
    stop: async () => {
      chaos.stop();
      const closed = servers.stop();
      proxy.destroy();
      await closed;
    },
  };
}
