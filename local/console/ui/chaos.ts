/**
 * The chaos faults: the rules of the endpoint's fault-injection API (`/_sluice/chaos/faults`,
 * docs/local-cloud.md), listed with their hits, added with a small form, removed one by one.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { CONSOLE_ROUTES } from '../contract';
import type { FaultRule, FaultRuleInput, FaultService } from '../../endpoint/chaos';
import { callJson, getJson, messageOf } from './api';
import { EMPTY_DRAFT, ruleFromDraft, type Draft } from './fault-draft';

/** Every service a rule can target (a Record, so a service added on the server is a compile error here). */
const SERVICE_LABELS: Record<FaultService, string> = {
  dynamodb: 'DynamoDB',
  dynamodbstreams: 'DynamoDB Streams',
  kinesis: 'Kinesis',
  sqs: 'SQS',
  lambda: 'Lambda',
};

export function Chaos() {
  const [faults, setFaults] = useState<readonly FaultRule[]>([]);
  const [error, setError] = useState<string>();
  const run = (call: Promise<{ faults: FaultRule[] }>) =>
    call.then((answer) => (setFaults(answer.faults), setError(undefined))).catch((e) => setError(messageOf(e)));
  useEffect(() => void run(getJson(CONSOLE_ROUTES.chaos)), []);
  return html`<section data-testid="chaos">
    <h2>Chaos faults <button type="button" onClick=${() => run(getJson(CONSOLE_ROUTES.chaos))}>Refresh</button></h2>
    ${error && html`<p class="error" data-testid="chaos-error">${error}</p>`}
    <table class="rows">
      <thead>
        <tr>
          <th>service</th>
          <th>operation</th>
          <th>match</th>
          <th>error / latency</th>
          <th class="num">hits</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${faults.map(
          (f) =>
            html`<tr key=${f.id} data-testid="chaos-fault" data-fault-id=${f.id}>
              <td>${f.service}</td>
              <td>${f.operation ?? '*'}</td>
              <td class="mono small">${[f.match ?? []].flat().join(' + ')}</td>
              <td>${f.error ? `${f.error.statusCode ?? 500} ${f.error.code ?? ''}` : ''}${f.latencyMs ? ` +${f.latencyMs} ms` : ''}</td>
              <td class="num">${f.hits}${f.times === undefined ? '' : ` / ${f.times}`}</td>
              <td>
                <button type="button" data-testid="chaos-remove" onClick=${() => run(callJson('DELETE', `${CONSOLE_ROUTES.chaos}/${encodeURIComponent(f.id)}`))}>
                  Remove
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${faults.length === 0 && html`<p class="muted" data-testid="chaos-empty">no faults</p>`}
    <${FaultForm} onAdd=${(rule: FaultRuleInput) => run(callJson('POST', CONSOLE_ROUTES.chaos, rule))} />
  </section>`;
}

function FaultForm({ onAdd }: { onAdd: (rule: FaultRuleInput) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const field = (name: Exclude<keyof Draft, 'service'>, label: string, placeholder = '') =>
    html`<label
      >${label}<input
        data-testid=${`chaos-${name}`}
        value=${draft[name]}
        placeholder=${placeholder}
        onInput=${(e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })}
    /></label>`;
  const submit = (event: Event) => {
    event.preventDefault();
    onAdd(ruleFromDraft(draft));
  };
  return html`<form class="filters" data-testid="chaos-form" onSubmit=${submit}>
    <label
      >service
      <select
        data-testid="chaos-service"
        value=${draft.service}
        onChange=${(e: Event) => setDraft({ ...draft, service: (e.target as HTMLSelectElement).value as FaultService })}
      >
        ${Object.entries(SERVICE_LABELS).map(([value, label]) => html`<option key=${value} value=${value}>${label}</option>`)}
      </select></label
    >
    ${field('operation', 'operation', 'PutItem')} ${field('match', 'match (all of, comma-separated)', 'table name, account id')}
    ${field('probability', 'probability', '1')} ${field('times', 'times')} ${field('statusCode', 'status', '500')} ${field('code', 'error code')}
    ${field('latencyMs', 'latency ms')}
    <button type="submit" data-testid="chaos-add">Add fault</button>
  </form>`;
}
