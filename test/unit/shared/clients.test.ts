import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { getDynamoDbClient, getKinesisClient, getSqsClient, newKinesisClient } from '../../../lambdas/shared/clients';
import { SDK_CALL_LOG_MIDDLEWARE } from '../../../lambdas/shared/sdk-call-log';
import { pollerKinesisClient } from '../../../local/mappings/poller-clients';

/** An HTTP/1.1-only server answering every Kinesis call as a successful one-record PutRecords; it notes each request's HTTP version and connection. */
async function http1KinesisStub(): Promise<{
  url: string;
  requests: Array<{ httpVersion: string; target: string; connection: number }>;
  close: () => Promise<void>;
}> {
  const requests: Array<{ httpVersion: string; target: string; connection: number }> = [];
  const connections = new WeakMap<object, number>();
  let opened = 0;
  const server = http.createServer((req, res) => {
    if (!connections.has(req.socket)) connections.set(req.socket, ++opened);
    requests.push({ httpVersion: req.httpVersion, target: String(req.headers['x-amz-target']), connection: connections.get(req.socket)! });
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 'shardId-000000000000' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('newKinesisClient', () => {
  it('calls Kinesis over HTTP/1.1 and reuses its connection from one call to the next', async () => {
    const stub = await http1KinesisStub();
    const kinesis = newKinesisClient({ endpoint: stub.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const put = () => kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: [{ Data: new Uint8Array([1]), PartitionKey: 'k' }] }));
    try {
      expect((await put()).FailedRecordCount).toBe(0);
      expect((await put()).FailedRecordCount).toBe(0);
    } finally {
      kinesis.destroy();
      await stub.close();
    }
    // The SDK's default for Kinesis (HTTP/2, a new session per call) could not even talk to this server.
    expect(stub.requests).toEqual([
      { httpVersion: '1.1', target: 'Kinesis_20131202.PutRecords', connection: 1 },
      { httpVersion: '1.1', target: 'Kinesis_20131202.PutRecords', connection: 1 },
    ]);
  });
});

describe("the functions' SDK clients", () => {
  const hasCallLog = (client: { middlewareStack: { identify(): string[] } }) =>
    client.middlewareStack.identify().some((entry) => entry.startsWith(`${SDK_CALL_LOG_MIDDLEWARE} `));

  it('carry no call-log middleware (it filtered every call for a no-op logger), and keep signing and retries', () => {
    for (const client of [getDynamoDbClient(), getKinesisClient(), getSqsClient()]) {
      expect(hasCallLog(client)).toBe(false);
      const stack = client.middlewareStack.identify();
      expect(stack.some((entry) => entry.startsWith('httpSigningMiddleware'))).toBe(true);
      expect(stack.some((entry) => entry.startsWith('retryMiddleware'))).toBe(true);
    }
  });

  it("so do the local cloud's pollers' and the bench's Kinesis clients", () => {
    expect(hasCallLog(pollerKinesisClient('http://127.0.0.1:9'))).toBe(false);
    // The SDK's own default still has it: the check above can fail.
    expect(hasCallLog(new KinesisClient({ region: 'us-east-1' }))).toBe(true);
  });
});
