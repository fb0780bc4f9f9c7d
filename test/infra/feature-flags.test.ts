/**
 * cdk.json sets every feature flag the installed aws-cdk-lib recommends (the list `cdk init` writes),
 * at the recommended value, or docs/operations.md says why not. Iterates over the library's own
 * list, so an upgrade that adds flags fails here until each is set or explained.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTestApp } from './sluice-app.fixture';

const root = path.join(__dirname, '..', '..');
const recommended: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8'));
const context: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context;

/** The flags docs/operations.md explains leaving at another value: the backticked names in its "Flags left out" section. */
function explainedFlags(): Set<string> {
  const doc = fs.readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
  const section = doc.split(/^### Flags left out$/m)[1]?.split(/^#{1,3} /m)[0] ?? '';
  return new Set([...section.matchAll(/`(@aws-cdk[^`]+)`/g)].map((m) => m[1]));
}

describe('cdk.json feature flags', () => {
  it('finds the recommended flags of the installed aws-cdk-lib', () => {
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
  });

  it.each(Object.entries(recommended))('sets %s as recommended, or docs/operations.md explains why not', (flag, value) => {
    if (explainedFlags().has(flag)) {
      expect({ flag, value: context[flag] }).not.toEqual({ flag, value });
      return;
    }
    expect({ flag, value: context[flag] }).toEqual({ flag, value });
  });

  it('sets no flag the library does not know (a typo or a removed flag does nothing)', () => {
    const unknown = Object.keys(context).filter((key) => key.startsWith('@aws-cdk') && !(key in recommended));
    expect(unknown).toEqual([]);
  });

  it('keeps the project and stage tags on both stacks (explicitStackTags ignores Tags.of for stacks)', () => {
    const { stateful, stateless } = buildTestApp({ stage: 'prod' });
    for (const stack of [stateful, stateless]) {
      expect(stack.tags.tagValues()).toEqual({ project: 'sluice', stage: 'prod' });
    }
  });
});
