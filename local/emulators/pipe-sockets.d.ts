import type { Socket } from 'node:net';

/** Pipes two sockets into each other and ends both when either fails. */
export function pipeSockets(client: Socket, upstream: Socket): void;
