/** What a sampler saw: the rounds taken while the scenario ran, and one closing round after it. */
export interface Samples<V> {
  readonly during: ReadonlyArray<Readonly<Record<string, V>>>;
  readonly closing: Readonly<Record<string, V>>;
}

/**
 * Measures values while a scenario runs (to see, say, that no replica version ever goes
 * backwards): reads `read(key)` for every key, round after round, `intervalMs` apart, until
 * `stop()`, then once more, so the closing round shows the state the scenario ended in. A
 * measurement, not a wait: nothing waits on what it reads.
 *
 * @example
 * const sampler = startSampler(accountIds, async (id) => (await replicaRow(d, id))?.version);
 * // … the scenario …
 * const { during, closing } = await sampler.stop();
 */
export function startSampler<V>(
  keys: readonly string[],
  read: (key: string) => Promise<V>,
  intervalMs = 250,
): { sampleNow(): Promise<void>; stop(): Promise<Samples<V>> } {
  if (keys.length === 0) throw new Error('a sampler needs at least one key to read');
  const rounds: Array<Record<string, V>> = [];
  let running = true;
  const sampleRound = async () => {
    const round: Record<string, V> = {};
    for (const key of keys) round[key] = await read(key);
    rounds.push(round);
  };
  const loop = (async () => {
    while (running) {
      await sampleRound();
      if (running) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    await sampleRound();
  })();
  return {
    /** One round now, besides the timed ones: for a state the scenario knows holds at this moment, which a timed round may miss. */
    sampleNow: sampleRound,
    async stop() {
      running = false;
      await loop;
      return { during: rounds.slice(0, -1), closing: rounds[rounds.length - 1] };
    },
  };
}
