import type { CliContext } from './context';
import { UsageError } from './errors';

/**
 * A queue URL from an output name (`NotificationsDlqUrl`, with or without the `Url` suffix) or a URL.
 *
 * @throws {UsageError} naming the queue outputs there are.
 */
export function resolveQueueUrl(ctx: CliContext, nameOrUrl: string): string {
  if (/^https?:\/\//.test(nameOrUrl)) return nameOrUrl;
  const values = ctx.outputs.values;
  const candidates = [nameOrUrl, `${nameOrUrl}Url`];
  for (const name of candidates) if (values[name]) return values[name];
  const queues = Object.keys(values).filter((key) => key.endsWith('QueueUrl') || key.endsWith('DlqUrl'));
  throw new UsageError(`no queue output ${nameOrUrl} in ${ctx.outputs.file}; use a queue URL or one of ${queues.join(', ')}`);
}
