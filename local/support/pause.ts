import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts meanwhile (a stop): resolves either way. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch {
    // aborted: the caller checks whether it is stopping
  }
}
