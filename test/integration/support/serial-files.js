/**
 * The integration files that must run alone on the suite's local cloud, with the reason. Every other
 * file runs beside one other file (`npm run test:integration` runs two workers on the one cloud):
 * they create their own data under unique ids, read only what they wrote, and wait on the settled
 * signal, which a neighbour's traffic only delays.
 *
 * A file belongs here when it changes what other files see: it clears every chaos rule (afterEach
 * `chaos.clear()`) or injects a fault without a match, purges, empties or redrives a whole queue,
 * reads or rewrites the whole store or read model, or keeps the cloud unsettled for longer than a
 * neighbour's default settled wait (a message waiting out a visibility timeout or a delay).
 * `test/integration/support/run-lock.ts` enforces it (a serial file holds the run's lock exclusively,
 * the others share it); `test/random-sequencer.js` runs these first.
 *
 * CommonJS, so jest's config and sequencer can read it.
 */
const SERIAL_FILES = {
  'test/integration/console.test.ts': 'purges the projector DLQ; clears chaos rules',
  'test/integration/local-console-api.test.ts': 'empties and redrives the whole notifications DLQ',
  'test/integration/relay-redrive.test.ts': 'purges the relay DLQ; fails every DynamoDB Streams call; clears chaos rules',
  'test/integration/dead-letters.test.ts': 'clears chaos rules; a failing delivery keeps the cloud unsettled for a minute; a stray event-store item',
  'test/integration/faults/fault-matrix.test.ts': 'clears chaos rules; a held write and a blocked FIFO group keep the cloud unsettled for a minute',
  'test/integration/cli/cli.test.ts': 'replays and verifies the whole read model; empties DLQs',
  'test/integration/cli/redrive-queues.test.ts': 'empties and redrives whole DLQs; clears chaos rules',
  'test/integration/cli/settle.test.ts': 'a 40 s delayed message keeps the cloud unsettled; expects it to settle within 5 s after',
};

module.exports = { SERIAL_FILES };
