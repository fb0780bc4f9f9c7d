/**
 * The proxy: forwards a request to its emulator over keep-alive connections and streams the answer
 * back, dropping hop-by-hop headers both ways. SQS requests reach fauxqs with
 * `Host: localhost:<port>`, so the queue URLs it hands out point back at the endpoint.
 */
import http from 'node:http';
import type http2 from 'node:http2';
import { failRequest, headerValue, sendJson, type AnyRequest, type AnyResponse } from './http-answers';
import { sourceWriteOf, type AwsService } from './router';
import { NAMED_BODY_LIMIT, writtenShardIds, writtenSources, type SourceWriteListener } from './wake-ups';
import type { SqsJsonCall } from './sqs-query';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus those HTTP/2 forbids; never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings', 'host']);

/** fauxqs' answer to one JSON-protocol call, read in full. */
export interface SqsJsonAnswer {
  readonly status: number;
  readonly queryErrorHeader?: string;
  readonly body: string;
}

export interface EmulatorProxyOptions {
  /** Emulator base URLs, e.g. `http://127.0.0.1:45123`. */
  readonly targets: Readonly<Record<AwsService, string>>;
  /** The endpoint's own port (known once it listens): the `Host` SQS requests carry. */
  readonly publicPort: () => number;
  /** Called when a write to a stream source succeeded (it wakes that source's pollers; a Kinesis write names its shards). */
  readonly onSourceWrite: SourceWriteListener;
}

export class EmulatorProxy {
  readonly targets: Readonly<Record<AwsService, URL>>;
  private readonly agents: Record<AwsService, http.Agent> = {
    kinesis: new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 }),
    dynamodb: new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 }),
    sqs: new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 }),
  };

  constructor(private readonly options: EmulatorProxyOptions) {
    this.targets = Object.fromEntries(Object.entries(options.targets).map(([service, url]) => [service, new URL(url)])) as Record<AwsService, URL>;
  }

  /**
   * Forwards one request to the emulator of `service`: the `buffered` body when the chaos layer
   * read it, else the request streamed. An emulator that cannot be reached is a 502.
   */
  forward(service: AwsService, req: AnyRequest, res: AnyResponse, path: string, buffered: Buffer | undefined): void {
    const upstreamUrl = this.targets[service];
    // A write to a stream source: keep its body, which names the stream or tables its readers are woken for.
    const written = sourceWriteOf(headerValue(req.headers['x-amz-target'])) ? requestBody(req, buffered) : undefined;
    const upstream = http.request(
      { host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path, headers: this.upstreamHeaders(service, req), agent: this.agents[service] },
      (upstreamRes) => this.relay(req, res, upstreamRes, written),
    );
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 502, {
        __type: 'ServiceUnavailableException',
        message: `sluice local endpoint: the ${service} emulator at ${upstreamUrl.host} failed: ${error.message}`,
      });
    });
    if (buffered) {
      upstream.end(buffered);
    } else {
      (req as NodeJS.ReadableStream).pipe(upstream);
      req.on('error', () => upstream.destroy());
    }
  }

  /** One JSON-protocol call to fauxqs, answered in full (the query protocol rewrites the body). */
  sendSqsJson(call: SqsJsonCall): Promise<SqsJsonAnswer> {
    return new Promise<SqsJsonAnswer>((resolve, reject) => {
      const payload = JSON.stringify(call.input);
      const headers = {
        host: `localhost:${this.options.publicPort()}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${call.action}`,
        'content-length': Buffer.byteLength(payload),
      };
      const { hostname, port } = this.targets.sqs;
      const upstream = http.request({ host: hostname, port, method: 'POST', path: '/', agent: this.agents.sqs, headers }, (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () =>
          resolve({
            status: upstreamRes.statusCode ?? 500,
            queryErrorHeader: headerValue(upstreamRes.headers['x-amzn-query-error']),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        upstreamRes.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(payload);
    });
  }

  /** Closes the keep-alive connections to the emulators. */
  destroy(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  private upstreamHeaders(service: AwsService, req: AnyRequest): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || HOP_BY_HOP.has(name) || value === undefined) continue;
      headers[name] = value;
    }
    const clientHost = headerValue(req.headers[':authority']) ?? headerValue(req.headers.host);
    headers.host = service === 'sqs' ? `localhost:${this.options.publicPort()}` : (clientHost ?? this.targets[service].host);
    return headers;
  }

  /** Streams the emulator's answer to the client, then reports a successful source write (`written`: its request body). */
  private relay(req: AnyRequest, res: AnyResponse, upstreamRes: http.IncomingMessage, written?: () => string): void {
    if (res.destroyed || (res as http2.Http2ServerResponse).stream?.destroyed) {
      upstreamRes.resume(); // the client went away (e.g. its function timed out while a fault held the request)
      return;
    }
    const responseHeaders: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      responseHeaders[name] = value;
    }
    try {
      res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders as http.OutgoingHttpHeaders & http2.OutgoingHttpHeaders);
    } catch (error) {
      // A header the client's protocol cannot carry (HTTP/2 refuses some HTTP/1.1 ones): this request fails, not the endpoint.
      upstreamRes.resume();
      failRequest(res, error);
      return;
    }
    upstreamRes.pipe(res as NodeJS.WritableStream);
    const write = sourceWriteOf(headerValue(req.headers['x-amz-target']));
    if (write && (upstreamRes.statusCode ?? 500) < 300) {
      // A Kinesis answer names the shards written: read a copy of it, so only their readers wake.
      const chunks: Buffer[] = [];
      if (write === 'kinesis') upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamRes.once('end', () => {
        const sources = written ? writtenSources(write, written()) : undefined;
        const shardIds = write === 'kinesis' ? writtenShardIds(Buffer.concat(chunks).toString('utf8')) : undefined;
        this.options.onSourceWrite(write, { ...(sources ? { sources } : {}), ...(shardIds ? { shardIds } : {}) });
      });
    }
    upstreamRes.on('error', () => res.destroy());
  }
}

/**
 * The request's body as text once it has been read: the buffered one, or a copy of what streams
 * through; '' for a body over NAMED_BODY_LIMIT, which is not searched for names (so not kept).
 */
function requestBody(req: AnyRequest, buffered: Buffer | undefined): () => string {
  if (buffered) return () => (buffered.length > NAMED_BODY_LIMIT ? '' : buffered.toString('utf8'));
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > NAMED_BODY_LIMIT) chunks = undefined;
    else chunks?.push(chunk);
  });
  return () => (chunks ? Buffer.concat(chunks).toString('utf8') : '');
}
