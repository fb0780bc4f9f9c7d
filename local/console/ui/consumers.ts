/**
 * Per-consumer lag: for each event source mapping, how many records and milliseconds it is
 * behind its source's tip (per shard or queue), its checkpoint, invocations and errors.
 */
import { html } from 'htm/preact';
import type { ConsumersAnswer } from '../contract';
import { shortName } from './names';

export function Consumers({ consumers }: { consumers: ConsumersAnswer | null }) {
  return html`<section data-testid="consumers">
    <h2>Consumers</h2>
    ${
      consumers === null
        ? html`<p class="muted">loading…</p>`
        : html`<table class="rows">
            <thead>
              <tr>
                <th>function</th>
                <th>source</th>
                <th class="num">records behind</th>
                <th class="num">ms behind</th>
                <th class="num">invocations</th>
                <th class="num">errors</th>
                <th>checkpoints</th>
              </tr>
            </thead>
            <tbody>
              ${consumers.consumers.map(
                (c) =>
                  html`<tr key=${c.mappingId} data-testid="consumer-row" data-function=${c.functionName} class=${c.recordsBehind > 0 ? 'warn' : ''}>
                    <td title=${c.functionName}>${shortName(c.functionName)}</td>
                    <td title=${c.sourceName}>${shortName(c.sourceName)}</td>
                    <td class="num" data-testid="consumer-records-behind">${c.recordsBehind}</td>
                    <td class="num">${c.millisBehind}</td>
                    <td class="num">${c.invocations}</td>
                    <td class="num">${c.errors}</td>
                    <td class="mono small">
                      ${c.positions.map((p) => html`<div key=${p.partition} title=${p.checkpoint ?? 'no checkpoint yet'}>${p.partition}: ${p.recordsBehind} behind</div>`)}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
