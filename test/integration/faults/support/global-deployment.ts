import { api } from '../../support/http';
import { clients, target } from '../../support/target';
import type { Deployment } from './pipeline';

/** The deployment the integration suite runs against (the global setup's local cloud). */
export function globalDeployment(): Deployment {
  return { outputs: target().outputs, dynamo: clients.dynamo, sqs: clients.sqs, kinesis: clients.kinesis, api };
}
