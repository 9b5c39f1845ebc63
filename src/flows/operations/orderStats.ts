import type { z } from 'zod';
import { OrderStates, type OrderState } from '../../domain/orderLedger';
import { HUB_QUEUES } from '../../config/queues';
import { rangeOf, withDateRange } from './dateRange';
import type { OrderIndexPort } from '../../ports/OrderIndexPort';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { QueueDepth, QueueDepthsPort } from '../../ports/QueueDepthsPort';

const HOUR_MS = 60 * 60_000;
const DEFAULT_RANGE_MS = 24 * HOUR_MS;

/** The statistics' range, as the ops API takes it; `to` is exclusive. The last day by default. */
export const statsQuerySchema = withDateRange({}, 31);

export type StatsQuery = z.input<typeof statsQuerySchema>;

export interface HourOfOrders {
  /** The hour's start (UTC). */
  hour: string;
  received: number;
  submitted: number;
  /** Placed → in the ERP, of the orders submitted in the hour. */
  p50Ms?: number;
  p95Ms?: number;
}

export interface OrderStats {
  range: { from: string; to: string };
  /** The orders received in the range, by where they stand now. */
  ordersByState: Record<OrderState, number>;
  /** Per hour of the range, of the orders received in the range: how many were received, and how many reached the ERP. */
  throughputPerHour: HourOfOrders[];
  /** From placed in the ECP to created in the ERP, for the orders of the range that are. */
  placedToErp: { orders: number; p50Ms?: number; p95Ms?: number };
  /** What is parked and open now, by code, the largest first. */
  parkedByCode: { code: string; count: number }[];
  deadLetters: QueueDepth[];
  generatedAt: string;
}

export interface OrderStatsDeps {
  index: Pick<OrderIndexPort, 'all'>;
  parked: Pick<ParkedMessagesPort, 'overview'>;
  queueDepths: QueueDepthsPort;
  now: () => Date;
}

/** The value below which `share` of the sorted values fall (nearest rank). */
function percentile(sorted: readonly number[], share: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

const hourOf = (iso: string): number => Math.floor(Date.parse(iso) / HOUR_MS) * HOUR_MS;

/** What the operators' dashboard charts: orders per state, throughput per hour, placed → ERP latency, parked per code, dead letters. */
export async function orderStats(query: StatsQuery, deps: OrderStatsDeps): Promise<OrderStats> {
  const q = statsQuerySchema.parse(query);
  const { from, to } = rangeOf(q, deps.now(), DEFAULT_RANGE_MS);
  const ordersByState = Object.fromEntries(Object.values(OrderStates).map((s) => [s, 0])) as Record<OrderState, number>;
  const hours = new Map<number, HourOfOrders>();
  for (let h = hourOf(from.toISOString()); h < to.getTime(); h += HOUR_MS)
    hours.set(h, { hour: new Date(h).toISOString(), received: 0, submitted: 0 });
  const latencies: number[] = [];
  const latenciesByHour = new Map<number, number[]>();
  const [, parked, deadLetters] = await Promise.all([
    (async () => {
      for await (const order of deps.index.all(from, to)) {
        ordersByState[order.state] += 1;
        const received = hours.get(hourOf(order.receivedAt));
        if (received !== undefined) received.received += 1;
        if (order.submittedAt !== undefined) {
          const submitted = hours.get(hourOf(order.submittedAt));
          if (submitted !== undefined) submitted.submitted += 1;
          if (order.placedAt !== undefined) {
            const latency = Date.parse(order.submittedAt) - Date.parse(order.placedAt);
            latencies.push(latency);
            const hour = hourOf(order.submittedAt);
            const ofHour = latenciesByHour.get(hour);
            if (ofHour === undefined) latenciesByHour.set(hour, [latency]);
            else ofHour.push(latency);
          }
        }
      }
    })(),
    deps.parked.overview('open'),
    deps.queueDepths.depths(HUB_QUEUES.map((queue) => queue.name)),
  ]);
  const byCode = new Map<string, number>();
  for (const entry of parked) byCode.set(entry.code, (byCode.get(entry.code) ?? 0) + 1);
  latencies.sort((a, b) => a - b);
  for (const [hour, values] of latenciesByHour) {
    const bucket = hours.get(hour);
    if (bucket === undefined) continue;
    values.sort((a, b) => a - b);
    const [p50Ms, p95Ms] = [percentile(values, 0.5), percentile(values, 0.95)];
    if (p50Ms !== undefined) bucket.p50Ms = p50Ms;
    if (p95Ms !== undefined) bucket.p95Ms = p95Ms;
  }
  const p50 = percentile(latencies, 0.5);
  const p95 = percentile(latencies, 0.95);
  return {
    range: { from: from.toISOString(), to: to.toISOString() },
    ordersByState,
    throughputPerHour: [...hours.values()],
    placedToErp: { orders: latencies.length, ...(p50 === undefined ? {} : { p50Ms: p50 }), ...(p95 === undefined ? {} : { p95Ms: p95 }) },
    parkedByCode: [...byCode.entries()]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    deadLetters,
    generatedAt: deps.now().toISOString(),
  };
}
