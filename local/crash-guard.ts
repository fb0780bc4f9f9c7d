/**
 * Keeps `npm start`'s local cloud running when one request or one background task fails.
 *
 * Why this is safe here (and would not be in a service): the local cloud is glue. Each request to
 * the endpoint, each poll of a mapping and each invocation is independent and holds no state that
 * a half-finished one could corrupt: the durable state lives in the emulators (own processes),
 * and a failed poll is retried from its stored position. Exiting on the first stray rejection
 * would instead take every emulator, mapping and API down with it and lose the in-memory queues.
 * The error is still logged with its origin and stack, so it is seen and can be fixed.
 *
 * Installed only by the `npm start` entry point, never by `startLocalCloud` itself: a test
 * process must still fail loudly on an unhandled rejection.
 */
export function installCrashGuards(log: (source: string, line: string) => void, target: NodeJS.Process = process): () => void {
  const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error));
  const onRejection = (reason: unknown): void => {
    log('local cloud', `unhandled promise rejection (kept running; please report it): ${describe(reason)}`);
  };
  const onException = (error: Error, origin: string): void => {
    log('local cloud', `uncaught exception from ${origin} (kept running; please report it): ${describe(error)}`);
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.removeListener('unhandledRejection', onRejection);
    target.removeListener('uncaughtException', onException);
  };
}
