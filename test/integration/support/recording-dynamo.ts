import { clients } from './target';

/**
 * The suite's DynamoDB document client, listing the name of every command sent through it, in
 * order: for tests that assert how many calls (and which) an adapter makes.
 *
 * @example
 * const { client, sent } = recordingDynamo(); await new Adapter(client, …).write(…); expect(sent).toEqual(['TransactWriteCommand']);
 */
export function recordingDynamo(): { client: Pick<typeof clients.dynamo, 'send'>; sent: string[] } {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return clients.dynamo.send(command as Parameters<typeof clients.dynamo.send>[0]);
    },
  } as Pick<typeof clients.dynamo, 'send'>;
  return { client, sent };
}
