import { handleCommand } from '../../../lambdas/command/handler';
import { logger } from '../../../lambdas/shared/observability';
import { apiEvent } from '../../helpers/api-gateway-events';
import { commandDeps } from '../../helpers/command-deps';

logger.setLogLevel('SILENT');

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const deposit = (headers: Record<string, string>) => {
  const event = apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, { amount: 5 });
  return { ...event, headers: { ...event.headers, ...headers } };
};

describe('command handler trace context', () => {
  it('stores the request traceparent with the event, unchanged, and answers it in the traceparent header', async () => {
    const { deps, eventStore } = commandDeps();
    const response = await handleCommand(deposit({ traceparent: TRACEPARENT }), deps);
    expect(response.statusCode).toBe(201);
    expect(response.headers?.traceparent).toBe(TRACEPARENT);
    const [, , deposited] = await eventStore.readStream('account#a1');
    expect(deposited.metadata.traceparent).toBe(TRACEPARENT);
  });

  it('starts a new trace for an invalid header, stores it and answers it', async () => {
    const { deps, eventStore } = commandDeps();
    const response = await handleCommand(deposit({ traceparent: 'not-a-trace' }), deps);
    const answered = String(response.headers?.traceparent);
    expect(answered).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, , deposited] = await eventStore.readStream('account#a1');
    expect(deposited.metadata.traceparent).toBe(answered);
  });

  it('answers the trace on a refused command too', async () => {
    const { deps } = commandDeps();
    const event = apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, { amount: -1 });
    const response = await handleCommand({ ...event, headers: { ...event.headers, traceparent: TRACEPARENT } }, deps);
    expect([response.statusCode, response.headers?.traceparent]).toEqual([400, TRACEPARENT]);
  });
});
