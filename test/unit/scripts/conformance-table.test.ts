import { renderTable } from '../../../scripts/conformance-table';

describe('renderTable', () => {
  const entry = (behaviour: string, file = 'test/conformance/kinesis.test.ts') => ({
    behaviour,
    docUrl: 'https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html',
    quote: 'Lambda processes records in each shard in order.',
    file,
  });

  it('writes one row per test with its area, page link and last result', () => {
    const table = renderTable(
      [entry('keeps order'), entry('caps | batches')],
      new Map([
        ['test/conformance/kinesis.test.ts|keeps order', 'passed'],
        ['test/conformance/kinesis.test.ts|caps | batches', 'failed'],
      ]),
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| area | behaviour | AWS documentation | local result |',
      '|---|---|---|---|',
      '| kinesis | keeps order | [lambda/latest/dg/with-kinesis](https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html) | ✅ matches |',
      '| kinesis | caps \\| batches | [lambda/latest/dg/with-kinesis](https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html) | ❌ differs |',
    ]);
    expect(table).toContain('(1 of 2 match AWS)');
  });

  it('marks a test without a result as not run', () => {
    expect(renderTable([entry('keeps order')], new Map())).toContain('| not run |');
  });
});
