/**
 * The event feed: the newest envelopes on the stream (the `events` route, then live `feed`
 * messages), filtered by type, subject, account and trace (on the server: both routes take the
 * filters). Clicking a row opens the event: its
 * envelope and its trace timeline.
 */
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type EventsAnswer, type FeedEvent, type FeedFilter } from '../contract';
import { getJson, messageOf } from './api';
import { EventDetail } from './event-detail';
import { accountOf, FEED_LIMIT, feedQuery, keyOf, mergeFeed } from './feed-filter';

export interface FeedProps {
  /** Events the live route sent under `filter`, newest first. */
  readonly live: FeedEvent[];
  readonly filter: FeedFilter;
  readonly onFilter: (filter: FeedFilter) => void;
  /** Changes with every live message: an open event reads its trace again. */
  readonly tick: number;
}

export function Feed({ live, filter, onFilter, tick }: FeedProps) {
  const [fetched, setFetched] = useState<FeedEvent[]>([]);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<FeedEvent>();
  useEffect(() => {
    getJson<EventsAnswer>(`${CONSOLE_ROUTES.events}${feedQuery(filter, FEED_LIMIT)}`)
      .then((answer) => (setFetched(answer.events), setError(undefined)))
      .catch((e) => setError(messageOf(e)));
  }, [filter]);
  const events = useMemo(() => mergeFeed(fetched, live), [fetched, live]);
  return html`<section data-testid="feed" class="feed">
    <h2>Event feed</h2>
    <${FilterForm} onApply=${onFilter} />
    ${error && html`<p class="error">${error}</p>`}
    <div class="split">
      <div class="scroll">
        <table class="rows">
          <thead>
            <tr>
              <th>arrived</th>
              <th>type</th>
              <th>subject</th>
              <th>account</th>
            </tr>
          </thead>
          <tbody>
            ${events.map(
              (e) =>
                html`<tr
                  key=${keyOf(e)}
                  data-testid="feed-row"
                  data-event-id=${e.envelope.id}
                  data-type=${e.envelope.type}
                  class=${selected && keyOf(selected) === keyOf(e) ? 'selected' : ''}
                  onClick=${() => setSelected(e)}
                >
                  <td class="mono">${new Date(e.arrivedAt).toISOString().slice(11, 23)}</td>
                  <td>${e.envelope.type}</td>
                  <td>${e.envelope.subject ?? ''}</td>
                  <td>${accountOf(e.envelope) ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${events.length === 0 && html`<p class="muted" data-testid="feed-empty">no events yet</p>`}
      </div>
      ${selected ? html`<${EventDetail} event=${selected} tick=${tick} onClose=${() => setSelected(undefined)} />` : html`<p class="muted">click an event to open it</p>`}
    </div>
  </section>`;
}

const FILTER_FIELDS = ['type', 'subject', 'account', 'trace'] as const;

function FilterForm({ onApply }: { onApply: (filter: FeedFilter) => void }) {
  const [draft, setDraft] = useState<FeedFilter>({});
  const apply = (event: Event) => {
    event.preventDefault();
    onApply({ ...draft });
  };
  return html`<form class="filters" onSubmit=${apply}>
    ${FILTER_FIELDS.map(
      (field) =>
        html`<label key=${field}
          >${field}
          <input
            data-testid=${`feed-filter-${field}`}
            value=${draft[field] ?? ''}
            onInput=${(e: Event) => setDraft({ ...draft, [field]: (e.target as HTMLInputElement).value })}
        /></label>`,
    )}
    <button type="submit" data-testid="feed-filter-apply">Filter</button>
    <button type="button" onClick=${() => (setDraft({}), onApply({}))}>Clear</button>
  </form>`;
}
