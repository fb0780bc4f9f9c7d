import { Match } from 'aws-cdk-lib/assertions';
import { asArray, policyStatements, synthTemplates } from './sluice-app.fixture';

const WEBHOOK_URL = 'https://hooks.example.com/sluice';

/** The notification worker's function resource in a stateless template. */
function workerFunction(template: ReturnType<typeof synthTemplates>['stateless']) {
  const [worker] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sluice-notification-worker' } } },
    }),
  );
  return worker;
}

/** Logical ids of the webhook signing secret (the stack also has the cursor signing key). */
const webhookSecretIds = (template: ReturnType<typeof synthTemplates>['stateless']) =>
  Object.keys(template.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('WebhookSecret'));

describe('webhook signing secret', () => {
  const { stateless } = synthTemplates({ stage: 'dev', webhookUrl: WEBHOOK_URL });
  const [secretId] = webhookSecretIds(stateless);

  it('is not created without a webhook URL, and the worker gets no ARN', () => {
    const { stateless: noWebhook } = synthTemplates({ stage: 'dev' });
    expect(webhookSecretIds(noWebhook)).toEqual([]);
    expect(workerFunction(noWebhook).Properties.Environment.Variables).not.toHaveProperty('WEBHOOK_SECRET_ARN');
    expect(Object.keys(noWebhook.toJSON().Outputs)).not.toContain('WebhookSecretArn');
  });

  it('is one generated 48-character key without punctuation', () => {
    expect(webhookSecretIds(stateless)).toHaveLength(1);
    expect(stateless.toJSON().Resources[secretId].Properties).toMatchObject({
      Description: 'HMAC-SHA256 key of the webhook signature',
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    });
  });

  it('follows the stage removal policy (kept on prod)', () => {
    const { stateless: prod } = synthTemplates({ stage: 'prod', webhookUrl: WEBHOOK_URL });
    expect(prod.toJSON().Resources[secretId]).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(stateless.toJSON().Resources[secretId]).toMatchObject({ DeletionPolicy: 'Delete' });
  });

  it('passes its ARN (never its value) to the worker', () => {
    expect(workerFunction(stateless).Properties.Environment.Variables).toMatchObject({
      WEBHOOK_URL,
      WEBHOOK_SECRET_ARN: { Ref: secretId },
    });
    expect(workerFunction(stateless).Properties.Environment.Variables).not.toHaveProperty('WEBHOOK_SECRET');
  });

  it('lets only the worker read it, with read actions only', () => {
    const onSecret = policyStatements(stateless).filter((s) => JSON.stringify(s.Resource).includes(secretId));
    expect(onSecret).toHaveLength(1);
    expect(asArray(onSecret[0].Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    const readers = Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(secretId));
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0].Properties.Roles)).toContain('NotificationWorker');
  });

  it("outputs its ARN for the receiver's owner", () => {
    stateless.hasOutput('WebhookSecretArn', { Value: { Ref: secretId }, Description: Match.stringLikeRegexp('get-secret-value') });
  });
});
