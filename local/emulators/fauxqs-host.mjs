// Runs fauxqs (an ESM-only package) in a child process of the local cloud, bound to loopback.
//
// Why a child process: fauxqs is ESM-only with an `import`-only exports map, so the CommonJS
// local cloud (and jest's module sandbox) cannot load it in-process on Node 20.
// Protocol: argv[2] = port (0 = any); sends {ready: port} over IPC; exits when the parent goes away.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertFauxqsInternals, fifoQueueClass } from './fauxqs-fifo-queue.mjs';

const appUrl = import.meta.resolve('fauxqs');
const { buildApp } = await import(appUrl);
const { SqsStore, SqsQueue } = await import(new URL('./sqs/sqsStore.js', appUrl).href);
const { SnsStore } = await import(new URL('./sns/snsStore.js', appUrl).href);
const { S3Store } = await import(new URL('./s3/s3Store.js', appUrl).href);
const { version } = JSON.parse(readFileSync(new URL('../package.json', appUrl), 'utf8'));

// FIFO queues receive as SQS does (several messages of a group per receive, put back in order):
// see fauxqs-fifo-queue.mjs. Checked before serving, so a fauxqs upgrade cannot silently undo it.
const FifoQueue = fifoQueueClass(SqsQueue);
assertFauxqsInternals({ SqsQueue, SqsStore, FifoQueue, version });

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

  /** fauxqs constructs its own `SqsQueue`; a FIFO one is switched to `FifoQueue` (which adds no fields, only methods). */
  createQueue(...args) {
    const queue = super.createQueue(...args);
    if (queue.isFifo()) Object.setPrototypeOf(queue, FifoQueue.prototype);
    return queue;
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
