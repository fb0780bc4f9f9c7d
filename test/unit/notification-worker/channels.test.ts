import { createHmac } from 'node:crypto';
import { checkWebhookUrl, LogChannel, SIGNATURE_HEADER, WebhookChannel, type Fetch } from '../../../lambdas/notification-worker/channels';
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

    const result = await new WebhookChannel(new URL('https://hooks.example.com/x?token=t'), 'secret', fetchFn).send(notification());

    expect(result).toEqual({ statusCode: 204 });
    const [url, init] = calls[0];
    expect(url).toBe('https://hooks.example.com/x?token=t');
    expect(init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': notification().notificationId } });
    expect(JSON.parse(init.body)).toEqual(notification());
  });

  it.each([301, 302, 400, 404, 500, 503])('throws WebhookDeliveryError with the status for a %i answer', async (status) => {
    const send = new WebhookChannel(new URL('https://hooks.example.com/x'), 'secret', fetchAnswering(status).fetchFn).send(notification());
    await expect(send).rejects.toThrow(WebhookDeliveryError);
    await expect(send).rejects.toMatchObject({ code: 'webhook_delivery_failed', statusCode: status });
  });

  it('throws WebhookDeliveryError when the webhook cannot be reached', async () => {
    const unreachable: Fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(new WebhookChannel(new URL('https://nowhere.invalid'), 'secret', unreachable).send(notification())).rejects.toMatchObject({
      code: 'webhook_delivery_failed',
      statusCode: undefined,
    });
  });
});

describe('webhook safety', () => {
  it('signs the exact body with HMAC-SHA256 under the secret, never follows redirects, and logs only the origin as target', async () => {
    const { fetchFn, calls } = fetchAnswering(200);
    const channel = new WebhookChannel(new URL('https://hooks.example.com/x?token=t'), 'secret', fetchFn);

    await channel.send(notification());

    const [, init] = calls[0];
    const expected = `sha256=${createHmac('sha256', 'secret').update(init.body).digest('hex')}`;
    expect(init.headers[SIGNATURE_HEADER]).toBe(expected);
    expect(init.redirect).toBe('manual');
    expect(channel.target).toBe('https://hooks.example.com');
  });

  it.each([
    ['http to another host', 'http://hooks.example.com/x', true],
    ['http to localhost outside the local stage', 'http://localhost:9000/x', false],
    ['a URL with credentials', 'https://user:pw@hooks.example.com/x', false],
    ['not a URL', 'hooks', false],
  ])('refuses %s', (_, url, local) => {
    expect(() => checkWebhookUrl(url, local)).toThrow(/WEBHOOK_URL/);
  });

  it('allows http to localhost on the local stage, and https anywhere', () => {
    expect(checkWebhookUrl('http://localhost:9000/x', true).origin).toBe('http://localhost:9000');
    expect(checkWebhookUrl('https://hooks.example.com/x', false).origin).toBe('https://hooks.example.com');
  });

  it('refuses an empty secret', () => {
    expect(() => new WebhookChannel(new URL('https://hooks.example.com'), '')).toThrow(/secret/);
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
