/**
 * One DLQ operation at a time per queue in the console. A peek receives messages (hiding them for
 * a moment) and then makes them visible again; a redrive running meanwhile would not see them and
 * move nothing. The page polls `GET dlqs` while a user presses Redrive, so the two take turns.
 */
const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` once every earlier operation on `queueUrl` has ended (whether it succeeded or not).
 *
 * @example
 * await withQueueLock(url, () => peekMessages(sqs, url))
 */
export function withQueueLock<T>(queueUrl: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(queueUrl) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(queueUrl, tail);
  void tail.then(() => {
    if (tails.get(queueUrl) === tail) tails.delete(queueUrl);
  });
  return run;
}
