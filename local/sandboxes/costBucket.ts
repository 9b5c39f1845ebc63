/**
 * A rate limit as the leading shop platforms apply it to their APIs: a leaky bucket of cost points.
 * Each call costs points; the bucket holds at most `capacity` and refills at `restorePerSecond`. A
 * call that costs more than the bucket holds is refused, with how long until it would fit.
 */
export class CostBucket {
  private points: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    private readonly restorePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.points = capacity;
    this.at = now();
  }

  /** Takes `cost` points, or says in how many seconds they would be there. */
  take(cost: number): { taken: true; left: number } | { taken: false; retryAfterSeconds: number; left: number } {
    const now = this.now();
    this.points = Math.min(this.capacity, this.points + ((now - this.at) / 1000) * this.restorePerSecond);
    this.at = now;
    if (this.points >= cost) {
      this.points -= cost;
      return { taken: true, left: Math.floor(this.points) };
    }
    return {
      taken: false,
      retryAfterSeconds: Math.max(1, Math.ceil((cost - this.points) / this.restorePerSecond)),
      left: Math.floor(this.points),
    };
  }
}
