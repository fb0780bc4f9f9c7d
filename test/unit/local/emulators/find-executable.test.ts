/** DynamoDB Local's Java check looks the command up instead of starting a JVM (`java -version`). */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '../../../../local/emulators/dynamodb';

describe('findExecutable', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-path-'));
  writeFileSync(path.join(dir, 'java'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'java'), 0o755);
  writeFileSync(path.join(dir, 'notes'), '');
  chmodSync(path.join(dir, 'notes'), 0o644);

  it('finds a command in a folder of PATH', () => {
    expect(findExecutable('java', { PATH: ['/nonexistent', dir].join(path.delimiter) })).toBe(path.join(dir, 'java'));
  });

  it('finds nothing for a missing command, a file that is not executable, or an empty PATH', () => {
    expect(findExecutable('javac', { PATH: dir })).toBeUndefined();
    expect(findExecutable('notes', { PATH: dir })).toBeUndefined();
    expect(findExecutable('java', {})).toBeUndefined();
  });

  it('takes a path as it is (JAVA_HOME/bin/java)', () => {
    expect(findExecutable(path.join(dir, 'java'), { PATH: '' })).toBe(path.join(dir, 'java'));
    expect(findExecutable(path.join(dir, 'missing'), { PATH: dir })).toBeUndefined();
  });
});
