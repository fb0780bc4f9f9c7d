/**
 * Stops a long-running loop (`tail --follow`) cleanly on Ctrl-C or SIGTERM: the signal only sets
 * a flag and cuts the current pause short, so the loop finishes its round (a queue peek makes
 * the messages it hid visible again) and returns, and the command exits 0.
 */
export class StopSignal {
  public stopped = false;
  private wake?: () => void;
  private readonly onSignal = (): void => {
    // A second Ctrl-C while the round finishes: the user wants out now.
    if (this.stopped) process.exit(130);
    this.stopped = true;
    this.wake?.();
  };

  public constructor(private readonly signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']) {
    for (const signal of signals) process.on(signal, this.onSignal);
  }

  /** Waits `ms`, or less when a stop signal comes. */
  public pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Removes the signal handlers (Node's default, exit at once, applies again). */
  public dispose(): void {
    for (const signal of this.signals) process.off(signal, this.onSignal);
  }
}
