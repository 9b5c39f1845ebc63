import { z } from 'zod';
import { isoInstant } from './dateRange';
import type { ParkedMessage, ParkedMessagesPort, ParkedSummary } from '../../ports/ParkedMessagesPort';

/** What an operator fixes once for many orders: parked entries of one code (and, for a mapping's failure, one mapping version). */
export interface FailureGroup {
  /** Stable within a listing: the code and mapping version it stands for. */
  key: string;
  code: string;
  /** For a mapping's failure (`MAPPING.*`): the mappings in force when these were parked. */
  mappings?: string;
  count: number;
  replayable: number;
  firstSeen: string;
  lastSeen: string;
  /** The most recent reason, as an example of the group's. */
  sampleReason: string;
  /** Where its entries came from: queues, `ecp-order-events`, `confirmations`. */
  sources: string[];
  /** The orders affected, the most recent first. */
  orderIds: string[];
}

export interface FailurePage {
  groups: FailureGroup[];
  /** Groups in the range, over all pages. */
  totalGroups: number;
  /** Parked entries in the range. */
  totalEntries: number;
  /** Where the next page starts; none on the last. */
  nextCursor?: string;
}

/** A listing's query, as the ops API and the CLI take it; `to` is exclusive. */
export const failureQuerySchema = z.strictObject({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  cursor: z.string().regex(/^\d+$/, 'the cursor a previous page gave').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The open failures, or those resolved or dismissed. */
  state: z.enum(['open', 'resolved']).default('open'),
});

export type FailureQuery = z.input<typeof failureQuerySchema>;

/** A group's key: its code, and the mapping version where a mapping failed. */
export function failureKeyOf(entry: Pick<ParkedMessage, 'code' | 'mappings'>): { key: string; mappings?: string } {
  const byMapping = entry.code.startsWith('MAPPING.') && entry.mappings !== undefined;
  return byMapping ? { key: `${entry.code} ${entry.mappings ?? ''}`, mappings: entry.mappings ?? '' } : { key: entry.code };
}

const instant = (text: string): number => Date.parse(text);

/**
 * Parked entries grouped by code (and mapping version), the most recently seen group first, paged.
 * A date range keeps the entries parked within it.
 */
export function groupFailures(parked: readonly ParkedSummary[], query: FailureQuery = {}): FailurePage {
  const { from, to, cursor, limit } = failureQuerySchema.parse(query);
  const inRange = parked.filter(
    (entry) =>
      (from === undefined || instant(entry.parkedAt) >= instant(from)) && (to === undefined || instant(entry.parkedAt) < instant(to)),
  );
  const groups = new Map<string, FailureGroup>();
  for (const entry of [...inRange].sort((a, b) => b.parkedAt.localeCompare(a.parkedAt))) {
    const { key, mappings } = failureKeyOf(entry);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        key,
        code: entry.code,
        ...(mappings === undefined ? {} : { mappings }),
        count: 0,
        replayable: 0,
        firstSeen: entry.parkedAt,
        lastSeen: entry.parkedAt,
        sampleReason: entry.reason,
        sources: [],
        orderIds: [],
      };
      groups.set(key, group);
    }
    group.count++;
    if (entry.replayable) group.replayable++;
    group.firstSeen = entry.parkedAt;
    if (!group.sources.includes(entry.source)) group.sources.push(entry.source);
    if (entry.orderId !== '' && !group.orderIds.includes(entry.orderId)) group.orderIds.push(entry.orderId);
  }
  const ordered = [...groups.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.count - a.count);
  const start = cursor === undefined ? 0 : Number(cursor);
  const page = ordered.slice(start, start + limit);
  const next = start + page.length;
  return {
    groups: page,
    totalGroups: ordered.length,
    totalEntries: inRange.length,
    ...(next < ordered.length ? { nextCursor: String(next) } : {}),
  };
}

/** The failure groups of what is parked now: open, or resolved and dismissed. */
export async function failureGroups(parked: Pick<ParkedMessagesPort, 'overview'>, query: FailureQuery = {}): Promise<FailurePage> {
  return groupFailures(await parked.overview(query.state === 'resolved' ? 'resolved' : 'open'), query);
}
