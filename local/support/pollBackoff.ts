/**
 * How long to wait before polling an empty queue again: short right after a message (more may
 * follow), doubling while the queue stays empty, up to the longest pause. The Functions host's
 * queue listener polls the same way.
 */
export class PollBackoff {
  private current: number;

  constructor(
    private readonly shortestMs: number,
    private readonly longestMs: number,
  ) {
    this.current = longestMs;
  }

  /** A poll found messages. */
  found(): void {
    this.current = this.shortestMs;
  }

  /** A poll found nothing: the pause before the next one. */
  empty(): number {
    const pause = this.current;
    this.current = Math.min(this.longestMs, Math.max(1, this.current * 2));
    return pause;
  }
}
