import { asArray, synthTemplates } from './sluice-app.fixture';

/** Which policies of a template name a resource whose logical id starts with `prefix`. */
function policiesOn(template: ReturnType<typeof synthTemplates>['stateless'], prefix: string) {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, policy]) =>
    policy.Properties.PolicyDocument.Statement.filter((s: { Resource: unknown }) => JSON.stringify(s.Resource).includes(prefix)).map(
      (s: { Action: string | string[] }) => ({ policy: id, actions: asArray(s.Action) }),
    ),
  );
}

describe('production safety', () => {
  const dev = synthTemplates();
  const prod = synthTemplates({ stage: 'prod' });

  describe('command idempotency table', () => {
    it('expires Idempotency-Key records through the Powertools TTL attribute, encrypted and with PITR', () => {
      const tables = Object.entries(dev.stateful.findResources('AWS::DynamoDB::Table')).filter(([id]) => id.startsWith('CommandIdempotency'));
      expect(tables).toHaveLength(1);
      expect(tables[0][1].Properties).toMatchObject({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('is granted to the command function only, with the four item actions Powertools uses', () => {
      const grants = policiesOn(dev.stateless, 'CommandIdempotency');
      expect(grants.map((g) => g.policy)).toEqual([expect.stringMatching(/^CommandFunction/)]);
      expect(grants[0].actions.sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    });

    it('is named to the command function in IDEMPOTENCY_TABLE_NAME', () => {
      const command = Object.entries(dev.stateless.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('CommandFunction'));
      expect(JSON.stringify(command?.[1].Properties.Environment.Variables.IDEMPOTENCY_TABLE_NAME)).toContain('CommandIdempotency');
    });
  });

  describe('deletion protection and retained logs', () => {
    it('protects every prod table from deletion', () => {
      const tables = Object.values(prod.stateful.findResources('AWS::DynamoDB::Table'));
      expect(tables.length).toBeGreaterThan(5);
      for (const table of tables) expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    });

    it('leaves dev tables deletable', () => {
      for (const table of Object.values(dev.stateful.findResources('AWS::DynamoDB::Table'))) {
        expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      }
    });

    it('retains every prod log group when the stack is deleted, and destroys dev ones', () => {
      const prodLogs = Object.values(prod.stateless.findResources('AWS::Logs::LogGroup'));
      expect(prodLogs.length).toBeGreaterThan(10);
      for (const group of prodLogs) expect([group.DeletionPolicy, group.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      for (const group of Object.values(dev.stateless.findResources('AWS::Logs::LogGroup'))) expect(group.DeletionPolicy).toBe('Delete');
    });
  });
});

describe('failure path and retention windows', () => {
  const dev = synthTemplates();
  const prod = synthTemplates({ stage: 'prod' });
  const env = (template: typeof dev.stateless, prefix: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix))?.[1].Properties.Environment.Variables;

  it('has the outbox relay dead-letter whole records an hour before the DynamoDB stream trims them', () => {
    expect(env(dev.stateless, 'OutboxRelayFunction').RELAY_DEAD_LETTER_AFTER_SECONDS).toBe(String(23 * 3600));
  });

  it.each([
    ['dev', dev, 24],
    ['prod', prod, 168],
  ])('keeps %s webhook deliveries idempotent at least as long as the events stream keeps records', (_, templates, hours) => {
    const retention = Object.values(templates.stateful.findResources('AWS::Kinesis::Stream'))[0].Properties.RetentionPeriodHours;
    expect(retention).toBe(hours);
    expect(Number(env(templates.stateless, 'NotificationWorkerFunction').IDEMPOTENCY_WINDOW_SECONDS)).toBeGreaterThanOrEqual(retention * 3600);
  });

  it('alarms on the outbox relay DLQ and on the relay falling behind', () => {
    const alarms = Object.keys(dev.stateless.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((id) => /outboxrelay/i.test(id)).length).toBeGreaterThanOrEqual(2);
  });
});
