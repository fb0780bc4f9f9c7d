import { InvokeCommand } from '@aws-sdk/client-lambda';
import { OUTPUT, type QueueScenarioName, type StreamScenarioName } from '../app/scenarios';
import { clients, output } from './target';

/**
 * Starts the probe functions' execution environments before a file's tests, by invoking each
 * `copies` times at once with an empty batch: the first records a test writes then meet warm
 * functions, so a slow cold start (a busy machine) cannot time out the first invocation and
 * look like a failure the test did not ask for. Errors are ignored: the tests will show them.
 */
export function warmUp(scenarios: ReadonlyArray<StreamScenarioName | QueueScenarioName>, copies = 1): void {
  beforeAll(async () => {
    await Promise.all(
      scenarios.flatMap((scenario) =>
        Array.from({ length: copies }, () =>
          clients.lambda
            .send(new InvokeCommand({ FunctionName: output(OUTPUT.functionName(scenario)), Payload: Buffer.from('{"Records":[]}') }))
            .catch(() => undefined),
        ),
      ),
    );
  }, 120_000);
}
