import { readFileSync } from 'node:fs';
import path from 'node:path';

import { cdkSelectors, localCloudBlocks, outputMatches, shellBlocks, withPorts } from '../../helpers/readme-blocks';

const markdown = [
  'Intro with `npx cdk deploy Stateless --exclusively -c stage=dev` inline.',
  'A placeholder: `cdk synth <one stack>` is prose.',
  '```bash',
  'npm ci && npm start   # AWS endpoint :4566',
  '```',
  '```bash',
  "curl -s -X POST http://localhost:3000/accounts -H 'x-api-key: k' \\",
  '  -d \'{"owner":"Ada"}\'',
  '# → {"accountId":"…","version":1}',
  '# prose, not output',
  'npx sluice store acc-1',
  '# → account acc-1: 2 event(s)',
  '# → …',
  '# → snapshot none',
  '```',
  '```ts',
  'const x = "cdk deploy NotShell";',
  '```',
  '```bash',
  'npx cdk deploy --all -c stage=dev --outputs-file out.json',
  'npx cdklocal deploy sluice-dev-stateless --require-approval never',
  '```',
].join('\n');

describe('shellBlocks', () => {
  it('joins continuation lines, attaches `# →` lines to the command before them and skips prose and other languages', () => {
    const blocks = shellBlocks(markdown);
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toEqual([
      {
        command: 'curl -s -X POST http://localhost:3000/accounts -H \'x-api-key: k\' \\\n  -d \'{"owner":"Ada"}\'',
        line: 7,
        expected: ['{"accountId":"…","version":1}'],
      },
      { command: 'npx sluice store acc-1', line: 11, expected: ['account acc-1: 2 event(s)', '…', 'snapshot none'] },
    ]);
  });

  it('keeps only the blocks that talk to the local cloud', () => {
    expect(localCloudBlocks(markdown).map((b) => b[0].line)).toEqual([7]);
  });
});

describe('outputMatches', () => {
  it('treats … as any text, across lines, and nothing else as a wildcard', () => {
    expect(outputMatches(['{"accountId":"…","version":1}'], '{"accountId":"acc-9","version":1}\n')).toBe(true);
    expect(outputMatches(['{"accountId":"…","version":1}'], '{"accountId":"acc-9","version":2}')).toBe(false);
    expect(outputMatches(['a', '…', 'z'], 'a\nb  \nc\nz')).toBe(true);
    expect(outputMatches(['a.c'], 'abc')).toBe(false);
    expect(outputMatches(['x'], 'x and more')).toBe(false);
  });
});

describe('withPorts', () => {
  it('moves only the documented default ports', () => {
    expect(withPorts('curl http://localhost:3000/a; AWS_ENDPOINT_URL=http://localhost:4566 x :30001', { aws: 4597, api: 3097 })).toBe(
      'curl http://localhost:3097/a; AWS_ENDPOINT_URL=http://localhost:4597 x :30001',
    );
  });
});

describe('cdkSelectors', () => {
  it('finds the stack selectors of cdk and cdklocal commands in code, skipping options and their values', () => {
    expect(
      cdkSelectors(markdown)
        .map((s) => s.selector)
        .sort(),
    ).toEqual(['Stateless', 'sluice-dev-stateless']);
  });
});

describe('the README itself', () => {
  // Ingestion accepts an event time only within now − 7 days … now + 5 minutes, so a literal time in
  // a command the first-run test executes expires a week after it was written (it did: CI of stop 21).
  it('has no literal ISO time in a command that talks to the local cloud', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const dated = localCloudBlocks(readme)
      .flat()
      .filter((c) => /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(c.command))
      .map((c) => `README line ${c.line}: ${c.command}`);
    expect(dated).toEqual([]);
  });
});
