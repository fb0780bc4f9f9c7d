/**
 * `npm start -- --inspect query`, driven the way VS Code drives it: a local cloud of its own with
 * the query function inspected, a Chrome DevTools Protocol client over the inspector's WebSocket,
 * a breakpoint set where the bundle's source map puts a line of `lambdas/query/handler.ts`, then a
 * real `GET /accounts/{id}` that stops there until the client resumes it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SourceMapConsumer } from 'source-map';
import WebSocket from 'ws';
import { startLocalCloud, type LocalCloud } from '../../local';
import { bundleFile, sourceMapFileOf } from '../../local/runtime/source-map-check';
import { INTEGRATION_STAGE_CONTEXT } from './support/global-setup';

const root = path.resolve(__dirname, '..', '..');
const HANDLER = path.join(root, 'lambdas', 'query', 'handler.ts');
/** The handler line the breakpoint goes on: found by its text, so an edit above it does not move the test. */
const BREAK_AT = 'const match = matchRoute(event, ROUTES);';
const inspectPort = Number(process.env.SLUICE_TEST_INSPECT_PORT ?? 9400);
const external = process.env.SLUICE_TEST_TARGET === 'external';

/** A minimal Chrome DevTools Protocol client: numbered commands, and events by name. */
class DevToolsSession {
  private nextId = 1;
  private readonly replies = new Map<number, { resolve: (result: any) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<string, Array<(params: any) => void>>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
      if (message.id !== undefined) {
        const reply = this.replies.get(message.id);
        this.replies.delete(message.id);
        if (message.error) reply?.reject(new Error(message.error.message));
        else reply?.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
      }
    });
  }

  static async connect(url: string): Promise<DevToolsSession> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new DevToolsSession(socket);
  }

  send<T = any>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.replies.set(id, { resolve, reject }));
  }

  next<T = any>(method: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (params: T) => {
        this.listeners.set(
          method,
          (this.listeners.get(method) ?? []).filter((l) => l !== listener),
        );
        resolve(params);
      };
      this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
    });
  }

  close(): void {
    this.socket.close();
  }
}

(external ? describe.skip : describe)('npm start --inspect (local cloud only)', () => {
  let cloud: LocalCloud;
  let session: DevToolsSession | undefined;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      awsPort: 0,
      apiPort: 0,
      outputsFile: false,
      context: INTEGRATION_STAGE_CONTEXT,
      inspect: [{ name: 'query', port: inspectPort }],
    });
  }, 300_000);

  afterAll(async () => {
    session?.close();
    await cloud?.stop();
  }, 60_000);

  it('reports the inspected function and its port', () => {
    expect(cloud.inspect).toEqual([expect.objectContaining({ displayName: 'query', port: inspectPort })]);
  });

  it('stops a real request at a breakpoint set in the TypeScript source, and finishes it on resume', async () => {
    const query = cloud.app.functions.find((fn) => fn.displayName === 'query')!;
    const bundle = bundleFile(query.assetDir, query.handler)!;
    const mapFile = sourceMapFileOf(bundle, readFileSync(bundle, 'utf8'));
    expect(mapFile).toBe(`${bundle}.map`);
    const map = JSON.parse(readFileSync(mapFile!, 'utf8')) as { sources: string[] };
    // The map names the handler by a path that resolves, from the bundle's folder, to the file under lambdas/.
    const source = map.sources.find((s) => path.resolve(path.dirname(mapFile!), s) === HANDLER);
    expect(source).toBeDefined();
    const line =
      readFileSync(HANDLER, 'utf8')
        .split('\n')
        .findIndex((text) => text.includes(BREAK_AT)) + 1;
    expect(line).toBeGreaterThan(0);
    const consumer = await new SourceMapConsumer(map as never);
    const generated = consumer.generatedPositionFor({ source: source!, line, column: 0, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
    expect(generated.line).not.toBeNull();

    // What VS Code does on attach: find the target, open its WebSocket, enable the debugger.
    const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    expect(targets).toHaveLength(1);
    session = await DevToolsSession.connect(targets[0].webSocketDebuggerUrl);
    await session.send('Debugger.enable');
    const { breakpointId } = await session.send<{ breakpointId: string }>('Debugger.setBreakpointByUrl', {
      url: pathToFileURL(bundle).href,
      lineNumber: generated.line! - 1,
      columnNumber: generated.column!,
    });

    const paused = session.next<{ hitBreakpoints: string[]; callFrames: Array<{ location: { lineNumber: number; columnNumber: number } }> }>('Debugger.paused');
    let answered = false;
    const request = fetch(`${cloud.apiUrl}/accounts/inspect-${Date.now()}`, { headers: { 'x-api-key': cloud.apiKey } }).then((response) => {
      answered = true;
      return response;
    });
    const stop = await paused;

    expect(stop.hitBreakpoints).toEqual([breakpointId]);
    const { lineNumber, columnNumber } = stop.callFrames[0].location;
    const original = consumer.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
    expect({ file: path.resolve(path.dirname(mapFile!), original.source ?? ''), line: original.line }).toEqual({ file: HANDLER, line });
    expect(answered).toBe(false); // the function is stopped, so the request is still open
    consumer.destroy();

    await session.send('Debugger.resume');
    const response = await request;
    expect(response.status).toBe(404); // an unknown account: the handler ran on to its end
    expect(((await response.json()) as { error: string }).error).toBe('account_not_found');
  });
});
