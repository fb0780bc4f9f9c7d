/**
 * The live updates: one `EventSource` on the `live` route for the whole page, each named event
 * (`feed`, `counts`, `consumers`) handed to the section that shows it. The route filters the
 * `feed` events by the query it is opened with, so a new filter opens a new connection. The
 * browser reconnects by itself when the local cloud restarts; the header shows the state meanwhile.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type LiveEventName } from '../contract';

export type LiveHandlers = Partial<Record<LiveEventName, (data: unknown) => void>>;
export type LiveState = 'connecting' | 'live' | 'reconnecting';

const LIVE_EVENTS: readonly LiveEventName[] = ['feed', 'counts', 'consumers'];

/** Subscribes to the live route (with `query`, e.g. `?account=a1`) while the page is open; returns the connection state. */
export function useLive(query: string, handlers: LiveHandlers): LiveState {
  const current = useRef(handlers);
  current.current = handlers;
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const source = new EventSource(`${CONSOLE_ROUTES.live}${query}`);
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    for (const name of LIVE_EVENTS) {
      source.addEventListener(name, (event) => {
        const data = parseData((event as MessageEvent<string>).data);
        if (data !== undefined) current.current[name]?.(data);
      });
    }
    return () => source.close();
  }, [query]);
  return state;
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A torn or foreign message: skip it rather than break the page.
    return undefined;
  }
}
