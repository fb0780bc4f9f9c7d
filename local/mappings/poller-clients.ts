/**
 * The SDK clients the stream pollers read with. They stand for Lambda's own pollers, which are
 * not SDK clients at all, so their transport is free to choose; the functions' clients are not
 * touched (the code that runs is the code that was tested).
 */
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION } from '../model';
import { withoutCallLog } from '../../lambdas/shared/sdk-call-log';
import { ChaosLayer } from '../endpoint/chaos-layer';
import { operationOf, type FaultInjector } from '../endpoint/chaos';
import { faultServiceOf } from '../endpoint/router';

/** SDK client settings for the local endpoint: fixed region, dummy credentials. */
export function localClientConfig(awsEndpoint: string) {
  return { endpoint: awsEndpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

/**
 * Where the stream pollers read: straight from the emulators (Kinesis, and DynamoDB Local for
 * DynamoDB Streams) instead of through the local AWS endpoint, with the endpoint's fault rules
 * applied on the way.
 *
 * Why: the endpoint, the pollers, the Lambda runner and the API emulator share one event loop. A
 * read through the endpoint crossed that loop four times (the poller's request, the endpoint
 * taking it, the emulator's answer, the poller reading it) and twice over loopback TCP within
 * the process; during the bench's latency phase the loop's median delay was ~8 ms, so a Kinesis
 * GetRecords took 35 ms p50 at the poller against 19 ms at the endpoint (docs/benchmarks.md,
 * 2026-11-30 night). The pollers stand for Lambda's, which read inside AWS, not through the public
 * endpoint; the chaos rules still reach them, so a fault on `GetRecords` fails a poller's read as
 * before. Reads wake nobody, so no wake-up is lost.
 */
export interface PollerReads {
  /** kinesalite's base URL. */
  readonly kinesis: string;
  /** DynamoDB Local's base URL (it serves DynamoDB Streams too). */
  readonly dynamodb: string;
  /** The endpoint's fault rules (`AwsEndpoint.chaos`). */
  readonly faults: FaultInjector;
}

/**
 * An HTTP/1.1 keep-alive handler that applies the endpoint's fault rules before a request leaves:
 * a rule's latency holds it, a rule's error is answered in the service's wire format (the same
 * answer the endpoint gives), so the SDK parses it as it parses the endpoint's.
 */
export class FaultingHttpHandler extends NodeHttpHandler {
  private readonly chaos: ChaosLayer | undefined;

  constructor(faults: FaultInjector | undefined) {
    // One connection per read in flight: every mapping's reader of every shard may read at once.
    super({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) });
    this.chaos = faults ? new ChaosLayer(faults) : undefined;
  }

  override async handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
    const service = faultServiceOf(target);
    if (this.chaos && service && this.chaos.targets(service)) {
      const body = typeof request.body === 'string' ? request.body : '';
      const fault = await this.chaos.apply({ service, operation: operationOf(target, body, false), body }, false);
      if (fault) {
        // Answered after a turn of the event loop, as a round trip would be: a caller that retries a
        // failure at once (a reader re-asking for its iterator) must not spin on microtasks and starve the process.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const headers = { ...fault.headers, 'content-length': String(Buffer.byteLength(fault.body)) };
        return { response: { statusCode: fault.status, headers, body: Readable.from([Buffer.from(fault.body)]) } };
      }
    }
    return super.handle(request, options);
  }

  override destroy(): void {
    this.chaos?.stop();
    super.destroy();
  }
}

/**
 * A Kinesis client over HTTP/1.1 keep-alive connections. The SDK's Kinesis client speaks HTTP/2
 * by default (for SubscribeToShard), which the local endpoint serves over cleartext HTTP/2 through
 * a JavaScript stream (see `local/endpoint/replay-socket.ts`): in the same process as the pollers,
 * that made every GetRecords round trip about twice as long as over HTTP/1.1 (p50 8.5 vs 4.1 ms,
 * p99 53 vs 25 ms, 350 interleaved calls each on a loaded machine). A GetRecords is on the path of
 * every record a consumer gets, so the pollers read over HTTP/1.1.
 *
 * @param endpoint the local AWS endpoint, or kinesalite itself with `faults` ({@link PollerReads})
 * @example
 * const kinesis = pollerKinesisClient('http://localhost:4566');
 */
export function pollerKinesisClient(endpoint: string, faults?: FaultInjector): KinesisClient {
  return withoutCallLog(new KinesisClient({ ...localClientConfig(endpoint), requestHandler: new FaultingHttpHandler(faults) }));
}

/** The clients the stream pollers read with: through `awsEndpoint`, or straight from the emulators with `reads`. */
export function pollerStreamClients(awsEndpoint: string, reads?: PollerReads): { kinesis: KinesisClient; streams: DynamoDBStreamsClient } {
  return {
    kinesis: pollerKinesisClient(reads?.kinesis ?? awsEndpoint, reads?.faults),
    streams: withoutCallLog(
      new DynamoDBStreamsClient({ ...localClientConfig(reads?.dynamodb ?? awsEndpoint), requestHandler: new FaultingHttpHandler(reads?.faults) }),
    ),
  };
}
