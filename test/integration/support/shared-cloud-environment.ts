/**
 * The integration project's test environment: node's, plus the run lock around the whole file
 * (`run-lock.ts`). A file of `serial-files.js` runs alone, any other beside one other file. The lock
 * is taken before the file's first hook and given back after its last `afterAll` (its clean-up
 * included), which setup-file hooks could not do.
 */
import * as path from 'node:path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { acquireRunLock } from './run-lock';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS, shared with jest's sequencer
const { SERIAL_FILES } = require('./serial-files') as { SERIAL_FILES: Record<string, string> };

/** True when `testPath` (absolute) is one of the files that must run alone. */
export function isSerialFile(rootDir: string, testPath: string): boolean {
  return Object.hasOwn(SERIAL_FILES, path.relative(rootDir, testPath).split(path.sep).join('/'));
}

export default class SharedCloudEnvironment extends TestEnvironment {
  private readonly serial: boolean;
  private release: () => void = () => undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.serial = isSerialFile(config.projectConfig.rootDir, context.testPath);
  }

  override async setup(): Promise<void> {
    await super.setup();
    this.release = await acquireRunLock(this.serial ? 'exclusive' : 'shared');
  }

  override async teardown(): Promise<void> {
    this.release();
    await super.teardown();
  }
}
