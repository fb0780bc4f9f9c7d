import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCi, readGoldenFile } from '../../helpers/golden-file';

describe('readGoldenFile', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-'));
    file = path.join(dir, 'page.md');
    fs.writeFileSync(file, 'old page\n');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the file as committed when no update is asked for', () => {
    expect(readGoldenFile(file, 'new page\n', 'UPDATE_PAGE', { CI: 'true' })).toBe('old page\n');
    expect(readGoldenFile(path.join(dir, 'absent.md'), 'new page\n', 'UPDATE_PAGE', {})).toBe('(missing)');
  });

  it('rewrites the file from the rendered text when asked to, outside CI', () => {
    expect(readGoldenFile(file, 'new page\n', 'UPDATE_PAGE', { UPDATE_PAGE: '1' })).toBe('new page\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new page\n');
  });

  it('refuses to rewrite it in CI, naming the variable, and leaves the file as committed', () => {
    expect(() => readGoldenFile(file, 'new page\n', 'UPDATE_PAGE', { UPDATE_PAGE: '1', CI: 'true' })).toThrow(
      'UPDATE_PAGE=1 is set, but golden files are not rewritten in CI (CI=true)',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('old page\n');
  });
});

describe('isCi', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('CI=%s → %s', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});
