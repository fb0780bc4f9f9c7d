/**
 * The topology section: what the synthesized templates declare (functions, streams, queues,
 * tables) with their live counts, and each event source mapping drawn as an edge
 * `source → function` (and `⇢ DLQ` when its failures go somewhere).
 */
import { html } from 'htm/preact';
import type { MappingEdge, TopologyAnswer } from '../contract';
import { shortName } from './names';

export function Topology({ topology }: { topology: TopologyAnswer | null }) {
  if (!topology)
    return html`<section data-testid="topology">
      <h2>Topology</h2>
      <p class="muted">loading…</p>
    </section>`;
  return html`<section data-testid="topology">
    <h2>Topology</h2>
    <div class="columns">
      <div>
        <h3>Sources</h3>
        <ul class="nodes">
          ${topology.streams.map(
            (s) =>
              html`<li data-testid="topology-stream" data-name=${s.name} title=${s.name}>
                <b>${shortName(s.name)}</b> <span class="kind">kinesis</span> ${s.records} records · ${s.shards} shard(s)
              </li>`,
          )}
          ${topology.tables.map(
            (t) =>
              html`<li data-testid="topology-table" data-name=${t.name} title=${t.name}>
                <b>${shortName(t.name)}</b> <span class="kind">table</span> ${t.items === undefined ? '' : `${t.items} items`}
              </li>`,
          )}
          ${topology.queues.map(
            (q) =>
              html`<li data-testid="topology-queue" data-name=${q.name} title=${q.url} class=${q.isDlq && q.visible > 0 ? 'alert' : ''}>
                <b>${shortName(q.name)}</b> <span class="kind">${q.isDlq ? 'dlq' : q.fifo ? 'fifo' : 'queue'}</span> ${q.visible} visible · ${q.inFlight} in flight
              </li>`,
          )}
        </ul>
      </div>
      <div>
        <h3>Mappings</h3>
        <ul class="edges">
          ${topology.mappings.map((m) => html`<${Edge} mapping=${m} />`)}
        </ul>
      </div>
      <div>
        <h3>Functions</h3>
        <ul class="nodes">
          ${topology.functions.map(
            (f) =>
              html`<li data-testid="topology-function" data-name=${f.name} data-logical-id=${f.logicalId} title=${f.name} class=${f.errors > 0 ? 'warn' : ''}>
                <b>${shortName(f.name)}</b> ${f.invocations} inv · ${f.errors} err${f.inFlight ? html` · <span class="busy">${f.inFlight} running</span>` : ''}
              </li>`,
          )}
        </ul>
      </div>
    </div>
  </section>`;
}

function Edge({ mapping }: { mapping: MappingEdge }) {
  return html`<li data-testid="topology-mapping" data-function=${mapping.functionName} class=${mapping.enabled ? '' : 'muted'}>
    <span title=${mapping.sourceName}>${shortName(mapping.sourceName)}</span>
    <span class="arrow"> ─${mapping.sourceKind}→ </span>
    <b title=${mapping.functionName}>${shortName(mapping.functionName)}</b>
    ${mapping.onFailure ? html`<span class="muted" title=${mapping.onFailure}> ⇢ ${shortName(mapping.onFailure)}</span>` : ''}
    ${mapping.enabled ? '' : ' (disabled)'}
  </li>`;
}
