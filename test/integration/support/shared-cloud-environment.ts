/**
 * The integration project's test environment: node's, plus the run lock around the whole file
 * (`run-lock.ts`), by the file's group in `file-groups.js`: a serial file holds it exclusively, a
 * shared one shares it, an independent one takes none. The lock is taken before the file's first
 * hook and given back after its last `afterAll` (its clean-up included), which setup-file hooks
 * could not do.
 */
import * as path from 'node:path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { acquireRunLock, type RunLockMode } from './run-lock';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS, shared with jest's sequencer
const { fileGroup } = require('./file-groups') as { fileGroup(relativePath: string): 'serial' | 'shared' | 'independent' };

/** The run lock a file takes, from its absolute path: none for a file that never uses the suite's cloud. */
export function runLockModeOf(rootDir: string, testPath: string): RunLockMode | undefined {
  const group = fileGroup(path.relative(rootDir, testPath).split(path.sep).join('/'));
  return group === 'serial' ? 'exclusive' : group === 'shared' ? 'shared' : undefined;
}

export default class SharedCloudEnvironment extends TestEnvironment {
  private readonly mode: RunLockMode | undefined;
  private release: () => void = () => undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.mode = runLockModeOf(config.projectConfig.rootDir, context.testPath);
  }

  override async setup(): Promise<void> {
    await super.setup();
    if (this.mode) this.release = await acquireRunLock(this.mode);
  }

  override async teardown(): Promise<void> {
    this.release();
    await super.teardown();
  }
}
