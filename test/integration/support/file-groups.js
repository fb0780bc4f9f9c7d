/**
 * How each integration file shares the run (`npm run test:integration` runs two workers on the one
 * local cloud of the global setup). Three groups, by what a file does to others and needs from them:
 *
 * - **serial** (`SERIAL_FILES`, with the reason): runs alone on the suite's cloud. A file belongs here
 *   when it changes what other files see: it clears every chaos rule (afterEach `chaos.clear()`) or
 *   injects a fault without a match, purges, empties or redrives a whole queue, reads or rewrites the
 *   whole store or read model, or keeps the cloud unsettled for longer than a neighbour's default
 *   settled wait (a message waiting out a visibility timeout or a delay).
 * - **independent** (`INDEPENDENT_FILES`): never touches the suite's cloud (it starts a cloud, a
 *   runtime or an endpoint of its own, or runs a CLI offline), so it takes no lock and may run beside
 *   a serial file.
 * - every other file **shares** the cloud with one other shared or independent file: it creates its
 *   own data under unique ids, reads only what it wrote, and waits on the settled signal, which a
 *   neighbour's traffic only delays.
 *
 * `run-lock.ts` enforces it (serial: the run lock exclusively; shared: the lock shared; independent:
 * no lock), and `test/random-sequencer.js` runs the serial files first, then the independent ones,
 * then the shared ones. CommonJS, so jest's sequencer can read it.
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

/** Files that start what they test themselves and never use the suite's cloud. */
const INDEPENDENT_FILES = [
  'test/integration/cli/bundle.test.ts',
  'test/integration/emulator-memory.test.ts',
  'test/integration/faults/restart.test.ts',
  'test/integration/lambda-runtime-fidelity.test.ts',
  'test/integration/local-cdk-selectors.test.ts',
  'test/integration/local-endpoint.test.ts',
  'test/integration/local-first-run.test.ts',
  'test/integration/local-hot-reload-swap.test.ts',
  'test/integration/local-hot-reload.test.ts',
  'test/integration/local-inspect-sandbox.test.ts',
  'test/integration/local-inspect.test.ts',
];

/** The group of a file, from its path relative to the project's root (with `/`). */
function fileGroup(relativePath) {
  if (Object.hasOwn(SERIAL_FILES, relativePath)) return 'serial';
  return INDEPENDENT_FILES.includes(relativePath) ? 'independent' : 'shared';
}

module.exports = { SERIAL_FILES, INDEPENDENT_FILES, fileGroup };
