import { stopSuiteCloud } from '../../support/suite-cloud';

/** Stops the local cloud the global setup started, leaving no process behind. */
export default async function globalTeardown(): Promise<void> {
  await stopSuiteCloud('test');
}
