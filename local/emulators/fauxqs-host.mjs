// Runs fauxqs (an ESM-only package) in a child process of the local cloud, bound to loopback.
//
// Why a child process: fauxqs is ESM-only with an `import`-only exports map, so the CommonJS
// local cloud (and jest's module sandbox) cannot load it in-process on Node 20.
// Protocol: argv[2] = port (0 = any); sends {ready: port} over IPC; exits when the parent goes away.
import { fileURLToPath } from 'node:url';

const appUrl = import.meta.resolve('fauxqs');
const { buildApp } = await import(appUrl);
const { SqsStore } = await import(new URL('./sqs/sqsStore.js', appUrl).href);
const { SnsStore } = await import(new URL('./sns/snsStore.js', appUrl).href);
const { S3Store } = await import(new URL('./s3/s3Store.js', appUrl).href);

/** Looks a queue up by URL, falling back to its name so any host spelling of a queue URL works (as on AWS). */
class AnyHostSqsStore extends SqsStore {
  // No fixed host: queue URLs use the request's Host, which the sluice endpoint sets to
  // `localhost:<its port>`, so URLs read `http://localhost:4566/000000000000/<name>`.
  host = undefined;

  getQueue(url) {
    const exact = super.getQueue(url);
    if (exact || typeof url !== 'string') return exact;
    const name = url.split('?')[0].replace(/\/+$/, '').split('/').pop();
    return name ? this.getQueueByName(name) : undefined;
  }
}

const sqsStore = new AnyHostSqsStore();
const app = buildApp({ logger: false, stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() } });
const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const port = Number(new URL(address).port);

const stop = async () => {
  await app.close().catch(() => undefined);
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined); // the parent decides when to stop (Ctrl-C reaches the whole group)
process.send?.({ ready: port, module: fileURLToPath(appUrl) });
