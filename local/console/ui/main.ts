/**
 * The live console's page: every section, the first answers of the routes, then the live route's
 * messages. Built by `local/console/build.ts` into one script (Preact + htm, no JSX step, so the
 * sources are plain TypeScript that tsc checks against the route contract).
 */
import { html, render } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { CONSOLE_ROUTES, type ConsumersAnswer, type DlqsAnswer, type FeedEvent, type FeedFilter, type TopologyAnswer } from '../contract';
import { getJson, messageOf } from './api';
import { Chaos } from './chaos';
import { Consumers } from './consumers';
import { Dlqs } from './dlqs';
import { EventStore } from './event-store';
import { Feed } from './feed';
import { FEED_LIMIT, feedQuery } from './feed-filter';
import { useLive } from './live';
import { Topology } from './topology';

/** What changes when a DLQ gains or loses messages: its name and visible count. */
const dlqSignature = (topology: TopologyAnswer) =>
  topology.queues
    .filter((q) => q.isDlq)
    .map((q) => `${q.name}:${q.visible}:${q.inFlight}`)
    .join(',');

function App() {
  const [topology, setTopology] = useState<TopologyAnswer | null>(null);
  const [consumers, setConsumers] = useState<ConsumersAnswer | null>(null);
  const [dlqs, setDlqs] = useState<DlqsAnswer | null>(null);
  const [filter, setFilter] = useState<FeedFilter>({});
  const [live, setLive] = useState<FeedEvent[]>([]);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<string>();
  const fail = (e: unknown) => setError(messageOf(e));
  const readDlqs = useCallback(() => void getJson<DlqsAnswer>(CONSOLE_ROUTES.dlqs).then(setDlqs).catch(fail), []);
  useEffect(() => {
    getJson<TopologyAnswer>(CONSOLE_ROUTES.topology).then(setTopology).catch(fail);
    getJson<ConsumersAnswer>(CONSOLE_ROUTES.consumers).then(setConsumers).catch(fail);
    readDlqs();
  }, []);
  const signature = topology ? dlqSignature(topology) : '';
  useEffect(() => {
    if (signature) readDlqs();
  }, [signature]);
  const changeFilter = (next: FeedFilter) => (setLive([]), setFilter(next));
  const state = useLive(feedQuery(filter), {
    feed: (data) => (setLive((events) => [data as FeedEvent, ...events].slice(0, FEED_LIMIT)), setTick((t) => t + 1)),
    counts: (data) => (setTopology(data as TopologyAnswer), setTick((t) => t + 1)),
    consumers: (data) => (setConsumers(data as ConsumersAnswer), setTick((t) => t + 1)),
  });
  return html`<header>
      <h1>sluice console</h1>
      <span class="conn ${state}" data-testid="live-state" data-state=${state}>${state}</span>
    </header>
    ${error && html`<p class="error" data-testid="console-error">${error}</p>`}
    <main>
      <${Topology} topology=${topology} />
      <${Feed} live=${live} filter=${filter} onFilter=${changeFilter} tick=${tick} />
      <${Consumers} consumers=${consumers} />
      <${Dlqs} dlqs=${dlqs} onChanged=${readDlqs} />
      <${EventStore} />
      <${Chaos} />
    </main>`;
}

render(html`<${App} />`, document.getElementById('app')!);
