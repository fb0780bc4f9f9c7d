import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownerOnlyDir } from '../../../local';

describe('ownerOnlyDir (.sluice/data)', () => {
  it('creates the data directory and .sluice/ with owner-only permissions', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-perm-'));
    const dataDir = path.join(root, '.sluice', 'data');

    ownerOnlyDir(dataDir);

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(dataDir)).mode & 0o777).toBe(0o700);
  });
});
