/**
 * What the console reads: the app the local cloud loaded, the runtime's counters and mapping
 * progress, and clients straight to the emulators (so a chaos fault never hits, or is used up by,
 * the console's own reads).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { StreamMappingStatus } from '../../mappings';
import { LOCAL_REGION, type LocalApp, type SourceWrite } from '../../model';
import type { InvocationCounts } from '../../runtime/lambda-runner';

export interface ConsoleSources {
  /** The app as it runs: read on every request, so a getter can follow `lib/` hot reloads (the event tap keeps the streams it started with). */
  readonly app: LocalApp;
  /** Emulator base URLs (`http://127.0.0.1:<port>`), read directly. */
  readonly targets: Readonly<Record<'kinesis' | 'dynamodb' | 'sqs', string>>;
  /** The public AWS endpoint (`http://localhost:<port>`): what the CLI's code (redrive, trace) talks to, as the CLI would. */
  readonly awsEndpoint: string;
  readonly runner: {
    inFlight(): Readonly<Record<string, number>>;
    invocationCounts(): Readonly<Record<string, InvocationCounts>>;
  };
  streamStatus(): readonly StreamMappingStatus[];
  /** Subscribes to the writes the endpoint sees; returns the unsubscribe function. */
  onWrite(listener: (write: SourceWrite) => void): () => void;
  /** Builds the page. @default `buildConsole()` of local/console/build.ts, into the folder the page is served from */
  buildPage?(): Promise<unknown>;
}

/** SDK clients on the emulators themselves. */
export interface EmulatorClients {
  readonly kinesis: KinesisClient;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBDocumentClient;
  destroy(): void;
}

export function emulatorClients(targets: ConsoleSources['targets']): EmulatorClients {
  const config = { region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  // kinesalite speaks HTTP/1.1 only; the Kinesis client's default handler is HTTP/2.
  const kinesis = new KinesisClient({ ...config, endpoint: targets.kinesis, requestHandler: new NodeHttpHandler() });
  const streams = new DynamoDBStreamsClient({ ...config, endpoint: targets.dynamodb });
  const sqs = new SQSClient({ ...config, endpoint: targets.sqs });
  const ddb = new DynamoDBClient({ ...config, endpoint: targets.dynamodb });
  const dynamo = DynamoDBDocumentClient.from(ddb);
  return {
    kinesis,
    streams,
    sqs,
    dynamo,
    destroy: () => {
      for (const client of [kinesis, streams, sqs, dynamo, ddb]) client.destroy();
    },
  };
}
