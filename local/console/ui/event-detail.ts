/**
 * One opened event: its envelope as pretty JSON (rendered as text, so nothing in an event is ever
 * parsed as HTML) and its trace timeline, read again while live messages arrive so hops that
 * happen after the click (the projector, the replica) show up.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type FeedEvent, type TraceAnswer } from '../contract';
import { getJson, messageOf } from './api';
import { TraceTimeline } from './trace-timeline';

/** At most one trace read per this many ms while live messages arrive. */
const TRACE_REFRESH_MS = 1000;

export function EventDetail({ event, tick, onClose }: { event: FeedEvent; tick: number; onClose: () => void }) {
  const id = event.envelope.id;
  const [trace, setTrace] = useState<TraceAnswer | null>(null);
  const [error, setError] = useState<string>();
  const lastRead = useRef(0);
  useEffect(() => {
    setTrace(null);
    setError(undefined);
    lastRead.current = 0;
  }, [id]);
  useEffect(() => {
    const wait = Math.max(0, lastRead.current + TRACE_REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastRead.current = Date.now();
      getJson<TraceAnswer>(`${CONSOLE_ROUTES.trace}${encodeURIComponent(id)}`)
        .then((answer) => (setTrace(answer), setError(undefined)))
        .catch((e) => setError(messageOf(e)));
    }, wait);
    return () => clearTimeout(timer);
  }, [id, tick]);
  return html`<div class="detail" data-testid="event-detail" data-event-id=${id}>
    <div class="detail-head">
      <b>${event.envelope.type}</b>
      <button type="button" onClick=${onClose}>Close</button>
    </div>
    <p class="muted">${event.streamName} · ${event.shardId} · seq ${event.sequenceNumber}</p>
    <h3>Trace</h3>
    <${TraceTimeline} trace=${trace} error=${error} />
    <h3>Envelope</h3>
    <pre data-testid="envelope">${JSON.stringify(event.envelope, null, 2)}</pre>
  </div>`;
}
