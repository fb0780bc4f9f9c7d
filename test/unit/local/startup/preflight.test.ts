import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Preflight {
  NODE_MAJORS: { required: number; recommended: number };
  START_PACKAGES: string[];
  nodeVersionProblem(version: string): { level: 'error' | 'warning'; message: string } | undefined;
  missingPackagesProblem(root: string, exists?: (file: string) => boolean): string | undefined;
}
// Plain JavaScript: it runs before `npm ci`, so it cannot be TypeScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preflight = require('../../../../scripts/preflight.js') as Preflight;
const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('nodeVersionProblem', () => {
  it('stops on a Node older than the pinned dependencies need, with the fix', () => {
    expect(preflight.nodeVersionProblem('18.20.4')).toEqual({ level: 'error', message: expect.stringContaining('Node.js 18.20.4 is too old') });
    expect(preflight.nodeVersionProblem('18.20.4')!.message).toContain('>= 20');
  });

  it('warns on Node 20 (end of life; the SDK needs 22 from January 2027) and is quiet from 22', () => {
    const warning = preflight.nodeVersionProblem('20.20.2')!;
    expect(warning.level).toBe('warning');
    expect(warning.message).toContain('January 2027');
    expect(warning.message).toContain('Node.js 22');
    expect(preflight.nodeVersionProblem('22.23.5')).toBeUndefined();
    expect(preflight.nodeVersionProblem('24.1.0')).toBeUndefined();
  });

  it('agrees with package.json engines, which is the highest floor among the dependencies', () => {
    expect(pkg.engines.node).toBe(`>=${preflight.NODE_MAJORS.required}`);
    const floors = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).map((name) => {
      const range: string | undefined = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).engines?.node;
      const first = range?.match(/(\d+)/);
      return { name, floor: first ? Number(first[1]) : 0 };
    });
    const highest = Math.max(...floors.map((f) => f.floor));
    expect(preflight.NODE_MAJORS.required).toBe(highest);
  });
});

describe('missingPackagesProblem', () => {
  it('says `npm ci` and names what is missing', () => {
    const message = preflight.missingPackagesProblem('/nowhere', () => false);
    expect(message).toContain('node_modules is missing');
    expect(message).toContain('npm ci');
    expect(message).toContain(preflight.START_PACKAGES.join(', '));
  });

  it('is quiet when every package resolves', () => {
    expect(preflight.missingPackagesProblem(root)).toBeUndefined();
  });
});
