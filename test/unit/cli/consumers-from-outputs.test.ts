import { knownDlqs } from '../../../cli/commands/redrive';
import { consumersIn } from '../../../cli/functions';

/** The outputs a sluice stage writes that name consumers and queues (values shortened). */
const OUTPUTS = {
  EventsStreamName: 'events',
  NotificationsQueueUrl: 'http://q/notifications',
  NotificationsDlqUrl: 'http://q/notifications-dlq',
  StateTransferQueueUrl: 'http://q/st.fifo',
  StateTransferDlqUrl: 'http://q/st-dlq.fifo',
  ProjectorDlqUrl: 'http://q/projector-dlq',
  StateTransferConsumerDlqUrl: 'http://q/st-consumer-dlq',
  ProjectorFunctionName: 'sluice-dev-projector',
  StateTransferConsumerFunctionName: 'sluice-dev-state-transfer',
  NotificationWorkerFunctionName: 'sluice-dev-notification-worker',
  LegacyDlqUrl: 'http://q/legacy',
  // The CDK's cross-stack values, which the outputs file holds too.
  ExportsOutputRefProjectorFunctionName: 'x',
  ExportsOutputRefLegacyDlqUrl: 'x',
};

describe('consumers and DLQs from the outputs file', () => {
  it('names a consumer for each <Consumer>FunctionName output, in kebab-case', () => {
    expect(consumersIn(OUTPUTS)).toEqual(['notification-worker', 'projector', 'state-transfer-consumer']);
  });

  it('aliases each <Name>DlqUrl and sends it back to its <Name>QueueUrl or through its <Name>FunctionName', () => {
    expect(knownDlqs(OUTPUTS)).toEqual([
      { output: 'NotificationsDlqUrl', alias: 'notifications', target: { kind: 'queue', sourceOutput: 'NotificationsQueueUrl' } },
      { output: 'StateTransferDlqUrl', alias: 'state-transfer', target: { kind: 'queue', sourceOutput: 'StateTransferQueueUrl' } },
      { output: 'ProjectorDlqUrl', alias: 'projector', target: { kind: 'consumer', consumer: 'projector' } },
      { output: 'StateTransferConsumerDlqUrl', alias: 'state-transfer-consumer', target: { kind: 'consumer', consumer: 'state-transfer-consumer' } },
      // Neither beside it: the messages name the consumer that failed.
      { output: 'LegacyDlqUrl', alias: 'legacy' },
    ]);
  });
});
