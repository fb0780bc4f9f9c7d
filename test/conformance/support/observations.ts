import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INVOCATION_PREFIX, type Observation } from '../app/functions/probe-spec';
import { OUTPUT } from '../app/scenarios';
import { waitFor } from './settled';
import { clients, output } from './target';

/** Every invocation the probes recorded for a run, in invocation order. */
export async function invocations(run: string): Promise<Observation[]> {
  const items: Observation[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.dynamo.send(
      new QueryCommand({
        TableName: output(OUTPUT.observationsTable),
        KeyConditionExpression: '#run = :run AND begins_with(sk, :prefix)',
        ExpressionAttributeNames: { '#run': 'run' },
        ExpressionAttributeValues: { ':run': run, ':prefix': INVOCATION_PREFIX },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as Observation[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** How many invocations carried the record. */
export function deliveries(observed: readonly Observation[], id: string): number {
  return observed.filter((observation) => observation.ids.includes(id)).length;
}

/** Every record id delivered, in delivery order (repeats included). */
export function deliveryOrder(observed: readonly Observation[]): string[] {
  return observed.flatMap((observation) => observation.ids);
}

/** Waits until the run's invocations satisfy `done`, and returns them. */
export function waitForInvocations(run: string, what: string, done: (observed: Observation[]) => boolean, timeoutMs?: number): Promise<Observation[]> {
  return waitFor(
    what,
    async () => {
      const observed = await invocations(run);
      return done(observed) ? observed : undefined;
    },
    timeoutMs,
  );
}

/** Waits until every id has been delivered at least `times` times. */
export function waitForDeliveries(run: string, ids: readonly string[], times = 1, timeoutMs?: number): Promise<Observation[]> {
  return waitForInvocations(run, `${ids.join(', ')} delivered ${times} time(s)`, (observed) => ids.every((id) => deliveries(observed, id) >= times), timeoutMs);
}
