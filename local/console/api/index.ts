/**
 * The server side of the live console (`/_sluice/console`, see ../contract.ts): attached to the
 * local AWS endpoint once the runtime runs. Each concern has its module: routes.ts (which route),
 * handler.ts (writing answers), page.ts (page and assets), topology.ts, event-tap.ts and
 * feed-filter.ts (the feed), live.ts (SSE), consumers.ts and lag.ts, dlqs.ts (with the core of `sluice redrive`),
 * stream-view.ts (with the replay's fold) and the trace (`sluice trace`'s collector).
 */
import type { AwsEndpoint } from '../../endpoint';
import { ConsoleApi } from './console-api';
import { consoleHandler } from './handler';
import type { ConsoleSources } from './sources';

export { ConsoleApi } from './console-api';
export type { ConsoleSources } from './sources';

/** Serves the console on the endpoint from these sources; returns its stop (which ends every live stream). */
export async function attachConsole(endpoint: Pick<AwsEndpoint, 'attachConsole'>, sources: ConsoleSources): Promise<() => Promise<void>> {
  const api = await ConsoleApi.start(sources);
  endpoint.attachConsole(consoleHandler(api));
  return async () => {
    endpoint.attachConsole(undefined);
    await api.stop();
  };
}
