import * as fs from 'node:fs';
import { stopSuiteCloud } from '../../support/suite-cloud';
import { LOCK_DIR_ENV } from './run-lock';

/** Stops the local cloud the global setup started and removes the run's lock folder, leaving no process or file behind. */
export default async function globalTeardown(): Promise<void> {
  await stopSuiteCloud('test');
  const locks = process.env[LOCK_DIR_ENV];
  if (locks) fs.rmSync(locks, { recursive: true, force: true });
}
