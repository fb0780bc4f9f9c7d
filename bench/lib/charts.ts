/** Hand-written SVG charts for the benchmark results: no chart library, no browser needed. */
import { cdf, histogram, percentile } from './stats';

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { top: 40, right: 24, bottom: 48, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const FAMILY = 'font-family="system-ui, sans-serif"';
/** Font attributes; one place, so no element gets `font-size` twice (which makes the SVG invalid XML). */
const font = (size = 12) => `${FAMILY} font-size="${size}"`;
const FONT = font();

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** "Nice" axis ticks from 0 to at least `max`: steps of 1, 2 or 5 × 10^n. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" ${font(15)} font-weight="600">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function axes(xTicks: Array<{ at: number; label: string }>, yTicks: Array<{ at: number; label: string }>, xLabel: string, yLabel: string): string[] {
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + PLOT_H;
  const out = [`<g ${FONT} fill="#333">`];
  for (const t of yTicks) {
    const y = y0 - t.at * PLOT_H;
    out.push(`<line x1="${x0}" y1="${y.toFixed(1)}" x2="${x0 + PLOT_W}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(t.label)}</text>`);
  }
  for (const t of xTicks) {
    const x = x0 + t.at * PLOT_W;
    out.push(`<text x="${x.toFixed(1)}" y="${y0 + 18}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + PLOT_W}" y2="${y0}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${MARGIN.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  out.push(`<text x="${x0 + PLOT_W / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  out.push('</g>');
  return out;
}

function percentileMarkers(latenciesMs: readonly number[], xMax: number): string[] {
  const out: string[] = [];
  for (const [p, color] of [
    [50, '#2a9d8f'],
    [95, '#e9c46a'],
    [99, '#e76f51'],
  ] as const) {
    const v = percentile(latenciesMs, p);
    const x = MARGIN.left + Math.min(1, v / xMax) * PLOT_W;
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${MARGIN.top}" x2="${x.toFixed(1)}" y2="${MARGIN.top + PLOT_H}" stroke="${color}" stroke-width="2" stroke-dasharray="4 3"/>`,
    );
    out.push(
      `<text x="${(x + 4).toFixed(1)}" y="${MARGIN.top + 12 + (p === 50 ? 0 : p === 95 ? 14 : 28)}" ${FONT} fill="${color}">p${p} ${Math.round(v)} ms</text>`,
    );
  }
  return out;
}

/**
 * Histogram of latencies in ms, 40 bins from 0 to the maximum, with p50/p95/p99 marked.
 */
export function latencyHistogramSvg(latenciesMs: readonly number[], title = 'End-to-end latency (command returned → read model shows it)'): string {
  if (latenciesMs.length === 0) return frame(title, [`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" ${FONT}>no samples</text>`]);
  const xTicksValues = niceTicks(Math.max(...latenciesMs));
  const xMax = xTicksValues[xTicksValues.length - 1];
  const bins = histogram(latenciesMs, 40, { min: 0, max: xMax });
  const yTicksValues = niceTicks(Math.max(...bins.map((b) => b.count)), 4);
  const yMax = yTicksValues[yTicksValues.length - 1];
  const barW = PLOT_W / bins.length;
  const bars = bins.map((b, i) => {
    const h = (b.count / yMax) * PLOT_H;
    return `<rect x="${(MARGIN.left + i * barW + 1).toFixed(1)}" y="${(MARGIN.top + PLOT_H - h).toFixed(1)}" width="${Math.max(0, barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#457b9d"><title>${Math.round(b.from)}–${Math.round(b.to)} ms: ${b.count}</title></rect>`;
  });
  return frame(title, [
    ...axes(
      xTicksValues.map((t) => ({ at: t / xMax, label: String(t) })),
      yTicksValues.map((t) => ({ at: t / yMax, label: String(t) })),
      `latency (ms), n = ${latenciesMs.length}`,
      'commands',
    ),
    ...bars,
    ...percentileMarkers(latenciesMs, xMax),
  ]);
}

/** Empirical CDF of latencies in ms, with p50/p95/p99 marked. */
export function latencyCdfSvg(latenciesMs: readonly number[], title = 'End-to-end latency CDF'): string {
  if (latenciesMs.length === 0) return frame(title, [`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" ${FONT}>no samples</text>`]);
  const xTicksValues = niceTicks(Math.max(...latenciesMs));
  const xMax = xTicksValues[xTicksValues.length - 1];
  const points = cdf(latenciesMs);
  const path = points
    .map((p, i) => {
      const x = MARGIN.left + (p.value / xMax) * PLOT_W;
      const y = MARGIN.top + PLOT_H - p.fraction * PLOT_H;
      const prevY = i === 0 ? MARGIN.top + PLOT_H : MARGIN.top + PLOT_H - points[i - 1].fraction * PLOT_H;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${prevY.toFixed(1)} L${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return frame(title, [
    ...axes(
      xTicksValues.map((t) => ({ at: t / xMax, label: String(t) })),
      [0, 0.25, 0.5, 0.75, 1].map((f) => ({ at: f, label: `${f * 100}%` })),
      `latency (ms), n = ${latenciesMs.length}`,
      'fraction of commands ≤ x',
    ),
    `<path d="${path}" fill="none" stroke="#457b9d" stroke-width="2"/>`,
    ...percentileMarkers(latenciesMs, xMax),
  ]);
}

export interface BarPair {
  readonly label: string;
  readonly value: number;
  readonly baseline: number;
  readonly baselineLabel: string;
}

/** Grouped bars: each measured throughput beside its same-run baseline, with the ratio. */
export function throughputBarsSvg(pairs: readonly BarPair[], unit = 'per second', title = 'Throughput vs same-run baseline'): string {
  if (pairs.length === 0) return frame(title, [`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" ${FONT}>no figures</text>`]);
  const yTicksValues = niceTicks(Math.max(...pairs.flatMap((p) => [p.value, p.baseline])), 5);
  const yMax = yTicksValues[yTicksValues.length - 1];
  const groupW = PLOT_W / pairs.length;
  const barW = Math.min(80, groupW / 3);
  const body: string[] = [];
  pairs.forEach((pair, i) => {
    const cx = MARGIN.left + groupW * (i + 0.5);
    for (const [k, v, color] of [
      [0, pair.value, '#457b9d'],
      [1, pair.baseline, '#a8dadc'],
    ] as const) {
      const h = (v / yMax) * PLOT_H;
      const x = cx - barW + k * barW;
      body.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${(MARGIN.top + PLOT_H - h).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${escapeXml(k === 0 ? pair.label : pair.baselineLabel)}: ${Math.round(v)}</title></rect>`,
      );
      body.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(MARGIN.top + PLOT_H - h - 4).toFixed(1)}" text-anchor="middle" ${font(11)}>${Math.round(v)}</text>`);
    }
    const ratio = pair.baseline > 0 ? (pair.value / pair.baseline).toFixed(2) : '–';
    body.push(
      `<text x="${cx.toFixed(1)}" y="${MARGIN.top + PLOT_H + 32}" text-anchor="middle" ${font(11)}>${escapeXml(`${pair.label} vs ${pair.baselineLabel} (×${ratio})`)}</text>`,
    );
  });
  body.push(
    `<g ${FONT}><rect x="${WIDTH - 210}" y="30" width="12" height="12" fill="#457b9d"/><text x="${WIDTH - 192}" y="40">measured</text>` +
      `<rect x="${WIDTH - 120}" y="30" width="12" height="12" fill="#a8dadc"/><text x="${WIDTH - 102}" y="40">baseline</text></g>`,
  );
  return frame(title, [
    ...axes(
      [],
      yTicksValues.map((t) => ({ at: t / yMax, label: String(t) })),
      '',
      unit,
    ),
    ...body,
  ]);
}
