/**
 * The DLQs: each one's dead letters with the reason they got there, and the same dry run and
 * redrive as `sluice redrive <name>` (the `dlqs/<name>/redrive` route runs that code).
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type DlqsAnswer, type RedriveAnswer, type RedriveRequest } from '../contract';
import { callJson, messageOf } from './api';

type Dlq = DlqsAnswer['dlqs'][number];

export function Dlqs({ dlqs, onChanged }: { dlqs: DlqsAnswer | null; onChanged: () => void }) {
  return html`<section data-testid="dlqs">
    <h2>Dead-letter queues <button type="button" data-testid="dlqs-refresh" onClick=${onChanged}>Refresh</button></h2>
    ${dlqs === null ? html`<p class="muted">loading…</p>` : dlqs.dlqs.map((dlq) => html`<${DlqPanel} key=${dlq.name} dlq=${dlq} onChanged=${onChanged} />`)}
  </section>`;
}

function DlqPanel({ dlq, onChanged }: { dlq: Dlq; onChanged: () => void }) {
  const [result, setResult] = useState<RedriveAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const redrive = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: RedriveRequest = { dryRun };
      setResult(await callJson<RedriveAnswer>('POST', `${CONSOLE_ROUTES.dlq}${encodeURIComponent(dlq.name)}/redrive`, body));
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="dlq ${dlq.count > 0 ? 'alert' : ''}" data-testid="dlq" data-name=${dlq.name}>
    <div class="dlq-head">
      <b>${dlq.name}</b> <span data-testid="dlq-count" data-count=${dlq.count}>${dlq.count}</span> message(s)
      <button type="button" data-testid="dlq-dry-run" disabled=${busy} onClick=${() => redrive(true)}>Dry run</button>
      <button type="button" data-testid="dlq-redrive" disabled=${busy || dlq.count === 0} onClick=${() => redrive(false)}>Redrive</button>
    </div>
    ${error && html`<p class="error" data-testid="dlq-error">${error}</p>`} ${result && html`<${RedriveResult} result=${result} />`}
    ${
      dlq.messages.length > 0 &&
      html`<ul class="letters">
        ${dlq.messages.map(
          (m) =>
            html`<li key=${m.messageId} data-testid="dead-letter" data-message-id=${m.messageId}>
              <span class="mono small">${m.messageId}</span> <b data-testid="dead-letter-reason">${m.reason}</b>
              <details>
                <summary>body</summary>
                <pre>${prettyBody(m.body)}</pre>
              </details>
            </li>`,
        )}
      </ul>`
    }
  </div>`;
}

function RedriveResult({ result }: { result: RedriveAnswer }) {
  return html`<div class="result" data-testid="dlq-result" data-dry-run=${String(result.dryRun)} data-moved=${result.moved}>
    ${result.dryRun ? `dry run: ${result.moved} message(s) would move` : `redriven: ${result.moved} message(s) moved`}
    ${
      result.skipped.length > 0 &&
      html`, ${result.skipped.length} left:
        <ul>
          ${result.skipped.map((s) => html`<li key=${s.messageId}><span class="mono small">${s.messageId}</span> ${s.reason}</li>`)}
        </ul>`
    }
  </div>`;
}

/** A JSON body indented, anything else as it is. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
