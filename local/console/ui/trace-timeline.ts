/**
 * One event's path across hops (the `trace/<id>` route): each hop with its time and the latency
 * from the previous hop, drawn as a bar scaled to the slowest hop.
 */
import { html } from 'htm/preact';
import type { TraceAnswer } from '../contract';

export function TraceTimeline({ trace, error }: { trace: TraceAnswer | null; error?: string }) {
  if (error) return html`<p class="error" data-testid="trace-error">${error}</p>`;
  if (!trace) return html`<p class="muted">loading trace…</p>`;
  const slowest = Math.max(1, ...trace.hops.map((h) => h.latencyMs ?? 0));
  return html`<div data-testid="trace-timeline">
    <p class="muted">trace ${trace.traceId ?? '(none)'} · ${trace.eventIds.length} event(s)</p>
    <table class="timeline">
      <tbody>
        ${trace.hops.map(
          (hop, i) =>
            html`<tr key=${i} data-testid="trace-hop" data-hop=${hop.hop} title=${hop.detail ?? ''}>
              <td><b>${hop.hop}</b></td>
              <td class="mono">${hop.at}</td>
              <td class="num">${hop.latencyMs === null ? '' : `+${hop.latencyMs} ms`}</td>
              <td class="bar-cell"><span class="bar" style=${{ width: `${Math.round(((hop.latencyMs ?? 0) / slowest) * 100)}%` }}></span></td>
              <td class="muted">${hop.source}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
