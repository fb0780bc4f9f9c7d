import { App } from 'aws-cdk-lib';
import { resolveConfig } from '../../lib/config';
import { synthTemplates } from './sluice-app.fixture';

/**
 * `-c notificationWorkerTimeoutSeconds`: how a test stage brings a failing notification's last
 * receive within seconds (the integration suite passes 3), and the worker's `MAX_RECEIVE_COUNT`,
 * read from the notifications queue's own redrive policy so the two cannot disagree.
 */
describe('notification worker timeout context and last receive', () => {
  const { stateful, stateless } = synthTemplates({ notificationWorkerTimeoutSeconds: '3' });
  const worker = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('NotificationWorkerFunction'))![1];
  const notificationsQueue = Object.entries(stateful.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('NotificationsQueue'))![1];

  it("sets the worker's timeout and the notifications queue's visibility timeout (6×) from it", () => {
    expect(worker.Properties.Timeout).toBe(3);
    expect(notificationsQueue.Properties.VisibilityTimeout).toBe(18);
  });

  it("gives the worker the queue's maxReceiveCount", () => {
    expect(worker.Properties.Environment.Variables.MAX_RECEIVE_COUNT).toBe(String(notificationsQueue.Properties.RedrivePolicy.maxReceiveCount));
  });

  it.each(['0', '31', '2.5'])('refuses %s', (value) => {
    expect(() => resolveConfig(new App({ context: { notificationWorkerTimeoutSeconds: value } }).node)).toThrow(
      `notificationWorkerTimeoutSeconds must be an integer from 1 to 30 (got "${value}")`,
    );
  });
});
