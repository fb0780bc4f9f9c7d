'use strict';
// Plain CommonJS so both sides of the loopback jail share it: local/emulators/dynamodb.ts (through
// tsx or jest) and loopback-jail.mjs (run by node inside the namespace, with no TypeScript loader).

/**
 * Pipes two sockets into each other and ends both when either fails, so a dropped client never
 * leaves its upstream half open.
 * @param {import('node:net').Socket} client
 * @param {import('node:net').Socket} upstream
 */
function pipeSockets(client, upstream) {
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
}

module.exports = { pipeSockets };
