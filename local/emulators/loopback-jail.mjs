// Runs a server that cannot be told to bind to loopback (DynamoDB Local listens on every interface)
// inside its own network namespace, where the only interface is its own loopback: nothing outside
// this machine — or outside this process tree — can reach it. Connections come in over a Unix
// socket (owner-only) that this script bridges to the server's port inside the namespace.
// Started by local/emulators/dynamodb.ts as:
//   unshare -rn --pid --fork --kill-child node loopback-jail.mjs <socket> <port> <command> [args...]
// It is PID 1 of its PID namespace: when it dies, the kernel ends the server too.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import net from 'node:net';
import { constants } from 'node:os';
import { pipeSockets } from './pipe-sockets.js';

const [socketPath, portText, command, ...args] = process.argv.slice(2);
const port = Number(portText);
spawnSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'inherit' });
const server = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
// A server killed by a signal exits as a shell reports it, 128 + the signal's number (SIGKILL: 137).
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 0)));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill('SIGTERM'));
// `unshare --fork` blocks SIGTERM and SIGINT while it waits, so they never reach this script: the
// launcher closes this script's stdin to stop the server instead (also when the launcher dies).
process.stdin.on('end', () => server.kill('SIGTERM'));
process.stdin.resume();

rmSync(socketPath, { force: true });
const bridge = net.createServer((client) => {
  pipeSockets(client, net.connect(port, '127.0.0.1'));
});

// Announce readiness only once the server answers inside the namespace.
const probe = () => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    bridge.listen(socketPath, () => {
      chmodSync(socketPath, 0o600);
      process.stdout.write('SLUICE_LOOPBACK_JAIL_READY\n');
    });
  });
  socket.once('error', () => setTimeout(probe, 10));
};
probe();
