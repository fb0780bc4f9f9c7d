import { App } from 'aws-cdk-lib';
import { resolveConfig } from '../../lib/config';
import { synthTemplates } from './sluice-app.fixture';

/**
 * `-c relayDeadLetterAfterSeconds`: how a test stage runs the relay's give-up path in seconds
 * (the integration suite passes 5). The 23 h default is checked in production-safety.test.ts.
 */
describe('relay retry age context', () => {
  it("sets the outbox relay's RELAY_DEAD_LETTER_AFTER_SECONDS", () => {
    const { stateless } = synthTemplates({ relayDeadLetterAfterSeconds: '5' });
    const relay = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('OutboxRelayFunction'));
    expect(relay?.[1].Properties.Environment.Variables.RELAY_DEAD_LETTER_AFTER_SECONDS).toBe('5');
  });

  it.each(['0', '82801', '1.5', 'soon'])('refuses %s: the record must still be in the 24 h DynamoDB stream when it is given up', (value) => {
    expect(() => resolveConfig(new App({ context: { relayDeadLetterAfterSeconds: value } }).node)).toThrow(
      `relayDeadLetterAfterSeconds must be an integer from 1 to 82800 (got "${value}"); pass it with -c relayDeadLetterAfterSeconds=1`,
    );
  });
});
