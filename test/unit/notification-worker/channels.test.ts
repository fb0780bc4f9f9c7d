import { LogChannel, WebhookChannel, type Fetch } from '../../../lambdas/notification-worker/channels';
import { WebhookDeliveryError } from '../../../lambdas/notification-worker/errors';
import { notification } from '../../helpers/notifications';

function fetchAnswering(status: number) {
  const calls: Parameters<Fetch>[] = [];
  const fetchFn: Fetch = async (...args) => {
    calls.push(args);
    return { status, ok: status >= 200 && status < 300 };
  };
  return { fetchFn, calls };
}

describe('WebhookChannel', () => {
  it('POSTs the notification as JSON with its id as idempotency key and returns the status', async () => {
    const { fetchFn, calls } = fetchAnswering(204);

    const result = await new WebhookChannel('https://hooks.example.com/x', fetchFn).send(notification());

    expect(result).toEqual({ statusCode: 204 });
    const [url, init] = calls[0];
    expect(url).toBe('https://hooks.example.com/x');
    expect(init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': notification().notificationId } });
    expect(JSON.parse(init.body)).toEqual(notification());
  });

  it.each([400, 404, 500, 503])('throws WebhookDeliveryError with the status for a %i answer', async (status) => {
    const send = new WebhookChannel('https://hooks.example.com/x', fetchAnswering(status).fetchFn).send(notification());
    await expect(send).rejects.toThrow(WebhookDeliveryError);
    await expect(send).rejects.toMatchObject({ code: 'webhook_delivery_failed', statusCode: status });
  });

  it('throws WebhookDeliveryError when the webhook cannot be reached', async () => {
    const unreachable: Fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(new WebhookChannel('https://nowhere.invalid', unreachable).send(notification())).rejects.toMatchObject({
      code: 'webhook_delivery_failed',
      statusCode: undefined,
    });
  });
});

describe('LogChannel', () => {
  it('logs the notification and reports no status', async () => {
    const logged: unknown[] = [];
    const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: (...args: unknown[]) => void logged.push(args) };

    const channel = new LogChannel(logger);

    expect(channel.target).toBe('log');
    expect(await channel.send(notification())).toEqual({});
    expect(logged).toHaveLength(1);
  });
});
