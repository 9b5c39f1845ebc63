import { HubError } from '../../domain/HubError';

/** A call to the shop or the ERP, tried again on a transient failure: after the Retry-After of a 429, else backing off. */
export async function withRetries<T>(
  deps: { callAttempts: number; sleep: (ms: number) => Promise<void> },
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!HubError.isHubError(error) || !error.transient || attempt >= deps.callAttempts) throw error;
      await deps.sleep(error.retryAfterMs ?? Math.min(10_000, 250 * 2 ** attempt));
    }
  }
}
