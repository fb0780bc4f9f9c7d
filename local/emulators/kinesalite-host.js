// Runs kinesalite in a child process of the local cloud, bound to loopback.
//
// Why a child process: in the main process every Kinesis call waited for the one event loop that
// also runs the endpoint, the pollers, the Lambda runner and the API emulator (a round trip took
// 90-100 ms under load); here kinesalite has an event loop (and a core) of its own, as DynamoDB
// Local has its JVM and fauxqs its Node.
// Protocol: argv[2] = port (0 = any), argv[3] = data directory (absent or empty: in memory);
// sends {ready: port} over IPC; exits when the parent goes away.
'use strict';
const { mkdirSync } = require('node:fs');
const kinesalite = require('kinesalite');

const port = Number(process.argv[2] || 0);
const dataDir = process.argv[3] || undefined;
if (dataDir) mkdirSync(dataDir, { recursive: true });
// Streams become ACTIVE after 10 ms instead of AWS's ~10 s.
const server = kinesalite({ createStreamMs: 10, deleteStreamMs: 10, updateStreamMs: 10, shardLimit: 100, ...(dataDir ? { path: dataDir } : {}) });
server.keepAliveTimeout = 60_000;
server.once('error', (error) => {
  process.stderr.write(`kinesalite could not listen on 127.0.0.1:${port}: ${error.message}\n`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => process.send?.({ ready: server.address().port }));

const stop = () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined); // the parent decides when to stop (Ctrl-C reaches the whole group)
