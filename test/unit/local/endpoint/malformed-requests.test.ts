import http2 from 'node:http2';
import net from 'node:net';
import { startAwsEndpoint, type AwsEndpoint } from '../../../../local/endpoint';

/**
 * A malformed request can never crash the local endpoint: each one below gets a 4xx (or, for
 * protocol garbage, a closed socket), none throws out of a handler or leaves a rejected promise,
 * and the endpoint still answers a normal request afterwards.
 */

/** Sends raw bytes, then reads until the server closes or answers; `abort` ends the socket after writing, `reset` with a TCP RST. */
function raw(port: number, bytes: string | Buffer, options: { abort?: boolean; reset?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is enough: an HTTP/1.1 response with its whole body.
      const text = Buffer.concat(chunks).toString('latin1');
      const length = /content-length: (\d+)/i.exec(text);
      const head = text.indexOf('\r\n\r\n');
      if (length && head >= 0 && text.length - head - 4 >= Number(length[1])) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.setTimeout(5_000, () => socket.destroy());
    socket.write(bytes, () => {
      if (options.abort) socket.destroy();
      if (options.reset) socket.resetAndDestroy();
    });
  });
}

const status = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const request = (lines: string[], body = ''): string => `${lines.join('\r\n')}\r\nhost: localhost\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('the local endpoint under malformed requests', () => {
  let endpoint: AwsEndpoint;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // Emulators that are not there: forwarding fails with 502, which is fine for this test.
    const down = 'http://127.0.0.1:9';
    endpoint = await startAwsEndpoint({ targets: { kinesis: down, dynamodb: down, sqs: down }, port: 0, extraHosts: [] });
  });

  afterAll(async () => {
    process.removeListener('unhandledRejection', onRejection);
    await endpoint.stop();
  });

  it('answers each with a 4xx or closes the socket, then still serves a normal request', async () => {
    const { port } = endpoint;
    // A lambda fault rule, so the Lambda path also runs the fault matcher (which decodes the name).
    expect(
      status(await raw(port, request(['POST /_sluice/chaos/faults HTTP/1.1', 'content-type: application/json'], '[{"service":"lambda","match":"never-matches"}]'))),
    ).toBe(200);
    endpoint.attachSettled(() => Promise.reject('not an Error'));
    endpoint.attachLambda({
      handle: () => {
        throw new Error('the handler broke');
      },
    });

    const cases: Array<{ name: string; send: string | Buffer; abort?: boolean; reset?: boolean; expect: (answer: string) => void }> = [
      { name: 'garbage bytes', send: Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]), expect: (a) => expect([0, 400]).toContain(status(a)) },
      {
        name: 'HTTP/2 preface then garbage',
        send: Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), Buffer.from('\xff'.repeat(64), 'latin1')]),
        expect: (a) => expect(status(a)).toBe(0),
      },
      { name: 'a 100 kB header', send: request(['GET / HTTP/1.1', `x-big: ${'a'.repeat(100_000)}`]), expect: (a) => expect(status(a)).toBe(431) },
      {
        name: 'bad chunked encoding',
        send: 'POST /_sluice/chaos/faults HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\n\r\nZZZ\r\n\r\n',
        expect: (a) => expect([0, 400]).toContain(status(a)),
      },
      {
        name: 'chaos: a body that is not JSON',
        send: request(['POST /_sluice/chaos/faults HTTP/1.1'], '{"service":'),
        expect: (a) => {
          expect(status(a)).toBe(400);
          expect(a).toContain('"error":"validation_failed"');
        },
      },
      { name: 'chaos: JSON null', send: request(['POST /_sluice/chaos/faults HTTP/1.1'], 'null'), expect: (a) => expect(status(a)).toBe(400) },
      {
        name: 'chaos: a bad percent-encoding in the fault id',
        send: request(['DELETE /_sluice/chaos/faults/%E0%A4%A HTTP/1.1']),
        expect: (a) => {
          expect(status(a)).toBe(400);
          expect(a).toContain('percent-encoding');
        },
      },
      {
        name: 'chaos: a body aborted midway',
        send: 'POST /_sluice/chaos/faults HTTP/1.1\r\nhost: localhost\r\ncontent-length: 1000\r\n\r\n[{"serv',
        abort: true,
        expect: (a) => expect(status(a)).toBe(0),
      },
      {
        name: 'lambda: a bad percent-encoding in the function name',
        send: request(['POST /2015-03-31/functions/%E0%A4%A/invocations HTTP/1.1'], '{}'),
        expect: (a) => expect(status(a)).toBeLessThan(600),
      },
      {
        name: 'lambda: a body aborted midway',
        send: 'POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nhost: localhost\r\ncontent-length: 50\r\n\r\n{',
        abort: true,
        expect: (a) => expect(status(a)).toBe(0),
      },
      {
        name: 'settled: a handler that rejects with a non-Error',
        send: request(['GET /_sluice/settled?timeout=1 HTTP/1.1']),
        expect: (a) => {
          expect(status(a)).toBe(500);
          expect(a).toContain('not an Error');
        },
      },
      {
        name: 'sqs query: bad percent-encoding in the form',
        send: request(['POST / HTTP/1.1', 'content-type: application/x-www-form-urlencoded'], 'Action=%E0%A4%A&QueueUrl=%%%'),
        expect: (a) => expect(status(a)).toBeGreaterThanOrEqual(400),
      },
      {
        name: 'sqs query: no Action',
        send: request(['POST / HTTP/1.1', 'content-type: application/x-www-form-urlencoded'], 'Version=2012-11-05'),
        expect: (a) => {
          expect(status(a)).toBe(400);
          expect(a).toContain('<Code>MissingAction</Code>');
        },
      },
      {
        name: 'sqs json: an emulated action with a body that is not JSON',
        send: request(['POST / HTTP/1.1', 'content-type: application/x-amz-json-1.0', 'x-amz-target: AmazonSQS.ListDeadLetterSourceQueues'], '{{{'),
        expect: (a) => expect(status(a)).toBe(400),
      },
      { name: 'unknown target', send: request(['POST / HTTP/1.1', 'x-amz-target: Nope.Nothing'], '{}'), expect: (a) => expect(status(a)).toBe(400) },
      {
        name: 'HTTP/2 preface and SETTINGS, then a TCP reset',
        send: Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00', 'latin1'),
        reset: true,
        expect: (a) => expect(status(a)).toBe(0),
      },
      {
        name: 'chaos: a body cut by a TCP reset',
        send: 'POST /_sluice/chaos/faults HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\n[',
        reset: true,
        expect: (a) => expect(status(a)).toBe(0),
      },
      {
        name: 'a forwarded call aborted midway',
        send: 'POST / HTTP/1.1\r\nhost: localhost\r\nx-amz-target: DynamoDB_20120810.PutItem\r\ncontent-length: 500\r\n\r\n{"Ta',
        abort: true,
        expect: (a) => expect(status(a)).toBe(0),
      },
    ];
    for (const testCase of cases) {
      const answer = await raw(port, testCase.send, { abort: testCase.abort, reset: testCase.reset });
      try {
        testCase.expect(answer);
      } catch (error) {
        throw new Error(`${testCase.name}: ${(error as Error).message}\n--- answer ---\n${answer.slice(0, 500)}`, { cause: error });
      }
    }

    // HTTP/2: a path with characters beyond latin-1, which an HTTP/1.1 request to the emulator cannot carry.
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const h2Status = await new Promise<number>((resolve) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/\u0100\u{1F600}',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        'content-type': 'application/x-amz-json-1.0',
      });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', () => resolve(0));
      stream.end('{}');
    });
    session.close();
    // nghttp2 resets such a stream itself (PROTOCOL_ERROR, seen as 0 here); a 4xx would do as well.
    expect(h2Status === 0 || (h2Status >= 400 && h2Status < 500)).toBe(true);

    const health = await raw(port, request(['GET / HTTP/1.1']));
    expect(status(health)).toBe(200);
    expect(health).toContain('"status":"running"');
    expect(rejections).toEqual([]);
  });
});
