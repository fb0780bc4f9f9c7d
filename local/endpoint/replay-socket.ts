import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * A duplex over a TCP socket that first replays bytes already read from it.
 *
 * Node's http2 server reads a real socket through its native handle, so bytes pushed back with
 * `socket.unshift()` never reach it (the session fails with PROTOCOL_ERROR). Given a plain
 * Duplex instead, http2 wraps it in a JS stream and reads what this emits: the peeked preface
 * first, then everything the socket receives.
 */
export class ReplaySocket extends Duplex {
  private readonly socket: Socket;

  constructor(socket: Socket, head: Buffer) {
    super({ allowHalfOpen: false });
    this.socket = socket;
    if (head.length > 0) this.push(head);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
    socket.resume();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy(error ?? undefined);
    callback(error);
  }

  // The parts of the net.Socket surface that http2 and its compat layer call.
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.socket.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
  setTimeout(ms: number, callback?: () => void): this {
    this.socket.setTimeout(ms, callback);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.socket.setKeepAlive(enable, delayMs);
    return this;
  }
  ref(): this {
    this.socket.ref();
    return this;
  }
  unref(): this {
    this.socket.unref();
    return this;
  }
}
