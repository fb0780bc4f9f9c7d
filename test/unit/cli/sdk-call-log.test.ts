import { CliContext } from '../../../cli/context';
import { SDK_CALL_LOG_MIDDLEWARE } from '../../../lambdas/shared/sdk-call-log';

/**
 * The CLI's SDK clients carry no call-log middleware: with the SDK's no-op logger it only copied
 * every call's input and output through the sensitive-data filter (a replay's whole Scan pages and
 * BatchWriteItem calls), work nothing ever printed.
 */
describe("the CLI's SDK clients", () => {
  const ctx = new CliContext({}, { sdk: { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } } });
  afterAll(() => ctx.close());

  it.each(['ddb', 'dynamo', 'kinesis', 'sqs', 'lambda'] as const)('%s has no call-log middleware, and keeps the rest of its stack', (name) => {
    const stack = ctx[name].middlewareStack.identify();
    expect(stack.filter((entry) => entry.startsWith(`${SDK_CALL_LOG_MIDDLEWARE} `))).toEqual([]);
    // What a call needs is still there: signing and retries.
    expect(stack.some((entry) => entry.startsWith('httpSigningMiddleware'))).toBe(true);
    expect(stack.some((entry) => entry.startsWith('retryMiddleware'))).toBe(true);
  });
});
