/**
 * The endpoint's listening side: one TCP port on 127.0.0.1 (and `::1` where it exists), each
 * connection sniffed (sniffer.ts) and handed to Node's HTTP/1.1 or HTTP/2 server, both calling the
 * same request handler. Stopping ends the idle keep-alive connections too, which `close()` waits for.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AnyRequest, AnyResponse } from './http-answers';
import { sniffConnection } from './sniffer';

export interface ListeningServers {
  /** The port listened on (the one asked for, or the free one picked for 0). */
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Listens on `port` at 127.0.0.1, then on the same port at each extra loopback host that exists.
 *
 * @throws when the port is taken (`EADDRINUSE`)
 */
export async function listenOnLoopback(port: number, extraHosts: readonly string[], handle: (req: AnyRequest, res: AnyResponse) => void): Promise<ListeningServers> {
  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, handle);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } }, handle);
  h2.on('sessionError', () => undefined);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const onConnection = (socket: net.Socket): void => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    sniffConnection(socket, { h1, h2 });
  };

  const primary = await listen(port, '127.0.0.1', onConnection);
  const servers = [primary];
  const publicPort = (primary.address() as net.AddressInfo).port;
  for (const host of extraHosts) {
    try {
      servers.push(await listen(publicPort, host, onConnection));
    } catch {
      // IPv6 loopback unavailable (or taken): 127.0.0.1 alone serves `localhost` on such hosts.
    }
  }
  return {
    port: publicPort,
    stop: async () => {
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      // close() waits for open connections: end the idle keep-alive ones ourselves.
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      h1.closeAllConnections();
      await closed;
    },
  };
}

function listen(port: number, host: string, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  return new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer({ noDelay: true }, onConnection);
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: host.includes(':') }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}
