/**
 * Wakes a polling loop at once when there is something for it, instead of after its pause: `ring`
 * from whoever makes work, `wait` in the loop. A ring while nobody waits is kept for the next wait,
 * so none is lost between a poll and the pause after it.
 */
export class Doorbell {
  private waiting: (() => void) | undefined;
  private rung = false;

  ring(): void {
    if (this.waiting !== undefined) this.waiting();
    else this.rung = true;
  }

  /** Resolves when rung, when `signal` aborts, or after `ms` at the most. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.rung || signal?.aborted === true) {
      this.rung = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiting = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      this.waiting = done;
    });
    this.rung = false;
  }
}
