/**
 * The SDK clients the stream pollers read with. They stand for Lambda's own pollers, which are
 * not SDK clients at all, so their transport is free to choose; the functions' clients are not
 * touched (the code that runs is the code that was tested).
 */
import { Agent } from 'node:http';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION } from '../model';
import { withoutCallLog } from '../../lambdas/shared/sdk-call-log';

/** SDK client settings for the local endpoint: fixed region, dummy credentials. */
export function localClientConfig(awsEndpoint: string) {
  return { endpoint: awsEndpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

/**
 * A Kinesis client over HTTP/1.1 keep-alive connections. The SDK's Kinesis client speaks HTTP/2
 * by default (for SubscribeToShard), which the local endpoint serves over cleartext HTTP/2 through
 * a JavaScript stream (see `local/endpoint/replay-socket.ts`): in the same process as the pollers,
 * that made every GetRecords round trip about twice as long as over HTTP/1.1 (p50 8.5 vs 4.1 ms,
 * p99 53 vs 25 ms, 350 interleaved calls each on a loaded machine). A GetRecords is on the path of
 * every record a consumer gets, so the pollers read over HTTP/1.1.
 *
 * @example
 * const kinesis = pollerKinesisClient('http://localhost:4566');
 */
export function pollerKinesisClient(awsEndpoint: string): KinesisClient {
  return withoutCallLog(
    new KinesisClient({
      ...localClientConfig(awsEndpoint),
      // One connection per GetRecords in flight: every mapping's reader of every shard may read at once.
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
    }),
  );
}
