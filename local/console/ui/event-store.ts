/**
 * The event store and read model side by side: one stream's events (an account id), their fold,
 * the read model row, and whether the two agree (the `streams/<streamId>` route compares them).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type StreamAnswer } from '../contract';
import { getJson, messageOf } from './api';
import { storeStreamId } from './names';

export function EventStore() {
  const [streamId, setStreamId] = useState('');
  const [answer, setAnswer] = useState<StreamAnswer>();
  const [error, setError] = useState<string>();
  const open = (event: Event) => {
    event.preventDefault();
    const id = storeStreamId(streamId);
    if (!id) return;
    getJson<StreamAnswer>(`${CONSOLE_ROUTES.stream}${encodeURIComponent(id)}`)
      .then((a) => (setAnswer(a), setError(undefined)))
      .catch((e) => (setAnswer(undefined), setError(messageOf(e))));
  };
  return html`<section data-testid="event-store">
    <h2>Event store and read model</h2>
    <form class="filters" onSubmit=${open}>
      <label
        >account id (or stream id) <input data-testid="stream-id" value=${streamId} onInput=${(e: Event) => setStreamId((e.target as HTMLInputElement).value)}
      /></label>
      <button type="submit" data-testid="stream-open">Open</button>
    </form>
    ${error && html`<p class="error" data-testid="stream-error">${error}</p>`} ${answer && html`<${StreamView} answer=${answer} />`}
  </section>`;
}

function StreamView({ answer }: { answer: StreamAnswer }) {
  return html`<div data-testid="stream-view" data-stream-id=${answer.streamId}>
    <p data-testid="stream-match" data-matches=${String(answer.matches)} class=${answer.matches ? 'ok' : 'error'}>
      ${answer.matches ? 'the fold and the read model agree' : 'the fold and the read model differ'}
    </p>
    ${
      answer.differences.length > 0 &&
      html`<ul>
        ${answer.differences.map((d, i) => html`<li key=${i} data-testid="stream-difference">${d}</li>`)}
      </ul>`
    }
    <table class="rows">
      <thead>
        <tr>
          <th class="num">version</th>
          <th>type</th>
          <th>time</th>
          <th>data</th>
        </tr>
      </thead>
      <tbody>
        ${answer.events.map(
          (e) =>
            html`<tr key=${e.version} data-testid="stream-event" title=${e.eventId}>
              <td class="num">${e.version}</td>
              <td>${e.type}</td>
              <td class="mono">${e.time}</td>
              <td class="mono small">${JSON.stringify(e.data)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <div class="columns two">
      <div>
        <h3>Fold</h3>
        ${answer.foldError ? html`<p class="error">${answer.foldError}</p>` : html`<pre data-testid="stream-folded">${JSON.stringify(answer.folded, null, 2)}</pre>`}
      </div>
      <div>
        <h3>Read model</h3>
        <pre data-testid="stream-read-model">${answer.readModel === null ? 'no row' : JSON.stringify(answer.readModel, null, 2)}</pre>
      </div>
    </div>
  </div>`;
}
