import { escapeXml, latencyCdfSvg, latencyHistogramSvg, niceTicks, throughputBarsSvg } from '../../../bench/lib/charts';

const latencies = Array.from({ length: 200 }, (_, i) => 50 + (i % 40) * 5);

describe('bench charts', () => {
  it.each([
    [430, [0, 100, 200, 300, 400, 500]],
    [9, [0, 2, 4, 6, 8, 10]],
    [0, [0, 1]],
  ])('picks nice ticks up to at least %d', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('draws a histogram of 40 bars with p50, p95 and p99 marked', () => {
    const svg = latencyHistogramSvg(latencies);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(40);
    expect(svg).toMatch(/p50 \d+ ms/);
    expect(svg).toMatch(/p99 \d+ ms/);
  });

  it('draws the CDF as one path', () => {
    expect(latencyCdfSvg(latencies).match(/<path d="M/g)).toHaveLength(1);
  });

  it('says so instead of failing when there are no samples', () => {
    expect(latencyHistogramSvg([])).toContain('no samples');
  });

  it('draws a measured and a baseline bar per pair with the ratio', () => {
    const svg = throughputBarsSvg([{ label: 'POST /events', value: 800, baseline: 1000, baselineLabel: 'raw PutRecords' }]);

    expect(svg).toContain('POST /events vs raw PutRecords (×0.80)');
    expect(svg).toContain('>800<');
    expect(svg).toContain('>1000<');
  });

  it('escapes text for XML', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });
});

describe('bench charts are valid XML', () => {
  const duplicateAttributes = (svg: string) =>
    [...svg.matchAll(/<[a-z]+\s([^>]*)>/g)]
      .filter(([, attrs]) => {
        const names = [...attrs.matchAll(/([a-z-]+)="/g)].map((m) => m[1]);
        return new Set(names).size !== names.length;
      })
      .map(([tag]) => tag);

  it.each([
    ['histogram', () => latencyHistogramSvg(latencies)],
    ['cdf', () => latencyCdfSvg(latencies)],
    ['bars', () => throughputBarsSvg([{ label: 'a', value: 1, baseline: 2, baselineLabel: 'b' }])],
  ])('the %s has no element with a repeated attribute', (_, draw) => {
    expect(duplicateAttributes(draw())).toEqual([]);
  });
});
