import { z } from 'zod';
import { QueueNames } from '../../config/queues';
import { unitsOfShopOrder } from '../../domain/shopOrderUnits';
import type { InFlightUnitsPort } from '../../ports/InFlightUnitsPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import { ParkedSources, type ParkedMessagesPort, type ParkedSummary, type Resolution } from '../../ports/ParkedMessagesPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { entryKeyOf, selectParked, type ReplaySelection } from './dryRunReplay';

/** An operator's decision on some parked entries, with the reason they must give (the selection beside it). */
export const decisionSchema = z.looseObject({
  action: z.enum(['resolve', 'dismiss', 'restore']),
  reason: z.string().trim().min(3, 'say why (3 characters at least)').max(500),
  by: z.string().trim().min(1).max(100).optional(),
});

export interface ResolveDeps {
  parked: Pick<ParkedMessagesPort, 'overview' | 'setResolution' | 'get'>;
  /**
   * An order resolved or dismissed on its way to the ERP no longer holds units in flight; restored,
   * it holds them again.
   */
  inFlight: Pick<InFlightUnitsPort, 'release' | 'hold'>;
  now: () => Date;
}

/** Holds a restored order's units again, from the ECP order its entry keeps. */
async function holdAgain(entry: ParkedSummary, deps: ResolveDeps): Promise<void> {
  const payload = (await deps.parked.get(entry.source, entry.orderId, entry.messageId))?.payload;
  let order: unknown;
  try {
    order = JSON.parse(payload ?? 'null');
  } catch {
    return; // not an order the hub can read: it holds nothing, and it is parked for that anyway
  }
  const units = unitsOfShopOrder(order);
  if (units.length > 0) await deps.inFlight.hold(entry.orderId, units);
}

/** Where a parked entry is an order on its way to the ERP (its units held in flight). */
const ON_THE_WAY_TO_THE_ERP = new Set<string>([QueueNames.ONLINE_ORDERS, ParkedSources.ORDER_EVENTS]);

export interface ResolveResult {
  source: string;
  orderId: string;
  messageId?: string;
  code: string;
  outcome: 'resolved' | 'dismissed' | 'restored' | 'gone';
}

const keyOf = (m: ParkedSummary): Pick<ResolveResult, 'source' | 'orderId' | 'messageId' | 'code'> => ({ ...entryKeyOf(m), code: m.code });

/**
 * Resolves or dismisses open parked entries (kept, out of the open failures, never replayed while
 * so), or restores resolved ones to the open failures; each decision is a step of the order's
 * journey, with who made it and why.
 */
export async function resolveParked(
  selection: ReplaySelection,
  decision: { action: 'resolve' | 'dismiss' | 'restore'; reason: string; by: string },
  deps: ResolveDeps,
  journeys: JourneyRecorder,
): Promise<ResolveResult[]> {
  const restoring = decision.action === 'restore';
  const chosen = selectParked(await deps.parked.overview(restoring ? 'resolved' : 'open'), selection);
  const at = deps.now().toISOString();
  const resolution: Resolution | undefined = restoring
    ? undefined
    : { action: decision.action === 'resolve' ? 'resolved' : 'dismissed', reason: decision.reason, by: decision.by, at };
  const results: ResolveResult[] = [];
  for (const entry of chosen) {
    const done = await deps.parked.setResolution(entry.source, entry.orderId, entry.messageId, resolution);
    const outcome = !done ? 'gone' : (resolution?.action ?? 'restored');
    results.push({ ...keyOf(entry), outcome });
    // Resolved (it reached the ERP another way) or dismissed (it never will): its units are not in flight.
    if (done && resolution !== undefined && entry.orderId !== '' && ON_THE_WAY_TO_THE_ERP.has(entry.source))
      await deps.inFlight.release(entry.orderId);
    // Restored, an order parked on its way to the ERP may get there yet: its units are held again, as
    // when it first came (an order event's entry holds none: its order was not fetched, and is held
    // when it is).
    if (done && restoring && entry.orderId !== '' && entry.source === QueueNames.ONLINE_ORDERS) await holdAgain(entry, deps);
    if (done && entry.orderId !== '')
      await journeys.of({ orderId: entry.orderId, attempt: entry.attempts })({
        step: outcome,
        outcome: JourneyOutcomes.OK,
        code: entry.code,
        detail: `${outcome} by ${decision.by}: ${decision.reason} (parked from ${entry.source}${entry.messageId === undefined ? '' : ` as ${entry.messageId}`})`,
      });
  }
  return results;
}
