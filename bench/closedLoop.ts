import { percentile } from '../local/stack/orderRun';

export interface ClosedLoopResult {
  orders: number;
  concurrency: number;
  elapsedMs: number;
  ordersPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/**
 * Runs `one` (one order, start to finish) with exactly `concurrency` orders in flight at any time:
 * the first `warmup` orders are run and thrown away, then `orders` are timed.
 */
export async function closedLoop(options: {
  orders: number;
  concurrency: number;
  warmup: number;
  one: () => Promise<void>;
  /** Called just before the timed orders start and just after they end. */
  timedPhase?: { starting: () => Promise<void>; ended: () => Promise<void> };
}): Promise<ClosedLoopResult> {
  const run = async (count: number): Promise<{ latencies: number[]; elapsedMs: number }> => {
    const latencies: number[] = [];
    let started = 0;
    const began = performance.now();
    const worker = async (): Promise<void> => {
      while (started < count) {
        started++;
        const at = performance.now();
        await options.one();
        latencies.push(performance.now() - at);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return { latencies, elapsedMs: performance.now() - began };
  };
  if (options.warmup > 0) await run(options.warmup);
  await options.timedPhase?.starting();
  const { latencies, elapsedMs } = await run(options.orders);
  await options.timedPhase?.ended();
  latencies.sort((a, b) => a - b);
  return {
    orders: options.orders,
    concurrency: options.concurrency,
    elapsedMs,
    ordersPerSecond: options.orders / (elapsedMs / 1000),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
  };
}
