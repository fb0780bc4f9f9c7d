import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { H2_PREFACE, sniffConnection, sniffProtocol } from '../../../../local/endpoint/sniffer';

describe('sniffProtocol', () => {
  it('waits while the bytes so far are a prefix of the HTTP/2 preface', () => {
    expect(sniffProtocol(Buffer.alloc(0))).toBe('undecided');
    expect(sniffProtocol(H2_PREFACE.subarray(0, 3))).toBe('undecided');
    expect(sniffProtocol(H2_PREFACE.subarray(0, H2_PREFACE.length - 1))).toBe('undecided');
  });

  it('is HTTP/2 once the whole preface has arrived, with or without frames after it', () => {
    expect(sniffProtocol(H2_PREFACE)).toBe('h2');
    expect(sniffProtocol(Buffer.concat([H2_PREFACE, Buffer.from([0, 0, 0, 4])]))).toBe('h2');
  });

  it.each(['POST / HTTP/1.1\r\n', 'GET /_sluice/health HTTP/1.1\r\n', 'PUT / HTTP/1.1\r\n', 'PRI * HTTP/1.1\r\n', '\x16\x03\x01'])(
    'is HTTP/1.1 as soon as a byte differs from the preface: %j',
    (head) => {
      expect(sniffProtocol(Buffer.from(head, 'latin1'))).toBe('http1');
    },
  );
});

describe('sniffConnection', () => {
  /** A socket stand-in: an emitter with the calls the sniffer makes, recording what was unshifted. */
  const fakeSocket = () => {
    const socket = Object.assign(new EventEmitter(), {
      unshifted: [] as Buffer[],
      pause: jest.fn(),
      resume: jest.fn(),
      unshift: (b: Buffer) => socket.unshifted.push(b),
    });
    return socket;
  };

  it('hands an HTTP/1.1 connection to the HTTP/1.1 server with the peeked bytes put back', () => {
    const socket = fakeSocket();
    const h1 = { emit: jest.fn(() => true) };
    const h2 = { emit: jest.fn(() => true) };
    sniffConnection(socket as unknown as net.Socket, { h1, h2 });
    socket.emit('data', Buffer.from('GET / HTTP/1.1\r\n'));
    expect(h1.emit).toHaveBeenCalledWith('connection', socket);
    expect(h2.emit).not.toHaveBeenCalled();
    expect(Buffer.concat(socket.unshifted).toString()).toBe('GET / HTTP/1.1\r\n');
  });

  it('waits for the whole preface across chunks before choosing HTTP/2', () => {
    const socket = fakeSocket();
    const h1 = { emit: jest.fn(() => true) };
    const h2 = { emit: jest.fn(() => true) };
    sniffConnection(socket as unknown as net.Socket, { h1, h2 });
    socket.emit('data', H2_PREFACE.subarray(0, 10));
    expect(h2.emit).not.toHaveBeenCalled();
    socket.emit('data', H2_PREFACE.subarray(10));
    expect(h1.emit).not.toHaveBeenCalled();
    expect(h2.emit).toHaveBeenCalledTimes(1);
  });
});
