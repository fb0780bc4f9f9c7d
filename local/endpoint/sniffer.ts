/**
 * The protocol sniffer: one port serves HTTP/1.1 and cleartext HTTP/2 with prior knowledge (the
 * SDK's Kinesis client uses HTTP/2 even for `http://`). It peeks at the first bytes of each
 * connection and hands the connection to the server of its protocol.
 */
import type net from 'node:net';
import { ReplaySocket } from './replay-socket';

/** The HTTP/2 connection preface a client with prior knowledge sends first (RFC 9113 §3.4). */
export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export type SniffedProtocol = 'h2' | 'http1' | 'undecided';

/**
 * The protocol of a connection from the bytes it has sent so far: `h2` once the whole preface has
 * arrived, `http1` as soon as a byte differs from it, `undecided` while what came is a prefix of it.
 */
export function sniffProtocol(head: Buffer): SniffedProtocol {
  const n = Math.min(head.length, H2_PREFACE.length);
  if (!head.subarray(0, n).equals(H2_PREFACE.subarray(0, n))) return 'http1';
  return head.length < H2_PREFACE.length ? 'undecided' : 'h2';
}

/** Where a sniffed connection goes: the `connection` event of Node's HTTP servers. */
export interface ProtocolServers {
  readonly h1: { emit(event: 'connection', socket: net.Socket): boolean };
  readonly h2: { emit(event: 'connection', socket: ReplaySocket): boolean };
}

/**
 * Reads from a new connection until its protocol is known, then hands it over. HTTP/2 gets a
 * {@link ReplaySocket} that replays the peeked bytes (Node's http2 reads the socket handle
 * directly, so `unshift` is not enough); HTTP/1.1 gets the socket with the bytes unshifted.
 */
export function sniffConnection(socket: net.Socket, servers: ProtocolServers): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const protocol = sniffProtocol(head);
    if (protocol === 'undecided') return;
    socket.removeListener('data', onData);
    socket.pause();
    if (protocol === 'h2') {
      servers.h2.emit('connection', new ReplaySocket(socket, head));
    } else {
      socket.unshift(head);
      servers.h1.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
}
