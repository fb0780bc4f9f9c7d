import { App } from 'aws-cdk-lib';
import { resolveConfig } from '../../lib/config';
import { synthTemplates } from './sluice-app.fixture';

/**
 * `-c replicaTimeoutSeconds`: how a test stage brings a failed state-transfer message back within
 * seconds (the integration suite passes 3; the fault matrix's scenario g waits on it).
 */
describe('replica timeout context', () => {
  const replicaOf = (stateless: ReturnType<typeof synthTemplates>['stateless']) =>
    Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('ReplicaFunction'))![1];
  const stateTransferQueueOf = (stateful: ReturnType<typeof synthTemplates>['stateful']) =>
    Object.entries(stateful.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('StateTransferQueue'))![1];

  it("sets the replica's timeout and the state-transfer queue's visibility timeout (6×) from it", () => {
    const { stateful, stateless } = synthTemplates({ replicaTimeoutSeconds: '3' });
    expect(replicaOf(stateless).Properties.Timeout).toBe(3);
    expect(stateTransferQueueOf(stateful).Properties.VisibilityTimeout).toBe(18);
  });

  it('keeps 10 s (visibility 60 s) without it', () => {
    const { stateful, stateless } = synthTemplates();
    expect(replicaOf(stateless).Properties.Timeout).toBe(10);
    expect(stateTransferQueueOf(stateful).Properties.VisibilityTimeout).toBe(60);
  });

  it.each(['0', '11', '2.5'])('refuses %s', (value) => {
    expect(() => resolveConfig(new App({ context: { replicaTimeoutSeconds: value } }).node)).toThrow(
      `replicaTimeoutSeconds must be an integer from 1 to 10 (got "${value}")`,
    );
  });
});
