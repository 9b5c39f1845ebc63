export interface RetryPolicy {
  /** Attempts at one order, the first included, before it is parked. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before attempt `attempt + 1`: exponential backoff with "equal jitter" (half fixed, half
 * random) so that many orders failing together do not come back together; never below what the
 * remote system asked for with Retry-After.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxDelayMs)));
}
