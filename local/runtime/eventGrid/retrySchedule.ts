/** Event Grid's delivery retry schedule (after the first attempt), then every 12 h up to the event's time to live. */
const SCHEDULE_MS = [10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000];
const LATER_MS = 43_200_000;

export const EVENT_GRID_MAX_DELIVERY_ATTEMPTS = 30;
export const EVENT_GRID_EVENT_TTL_MS = 24 * 3600 * 1000;

/** Wait before delivery attempt `attempt + 1`, scaled down for development by `scale` (1 = as in Azure). */
export function nextDeliveryDelayMs(attempt: number, scale: number): number {
  const base = SCHEDULE_MS[attempt - 1] ?? LATER_MS;
  return Math.round(base * scale);
}

/** Status codes Event Grid does not retry for a webhook: the request itself is wrong, or the endpoint refuses it. */
export function isFinalDeliveryFailure(status: number): boolean {
  return status === 400 || status === 401 || status === 403 || status === 413;
}
