import { z } from 'zod';
import { canonicalUpdateSchema } from '../../domain/canonicalUpdate';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { parseOrFail } from '../../domain/validate';
import { QueueNames } from '../../config/queues';
import type { CompiledMapping } from '../../mapping/compileMapping';
import { mappingLabel, runMapping } from '../../mapping/runMapping';
import { ParkedSources, type ParkedMessage, type ParkedSummary } from '../../ports/ParkedMessagesPort';
import { mappingVersions, mapToSalesOrder, type OrderMappings } from '../orderToErp/mapToSalesOrder';
import { failureKeyOf } from './failureGroups';
import type { ParkedEntryKey } from '../../domain/replayJob';

/** Which parked entries a replay is about: a failure group, some entries, or some orders' entries. */
export const replaySelectionSchema = z.union([
  z.strictObject({ group: z.string().min(1) }),
  z.strictObject({
    entries: z
      .array(z.strictObject({ source: z.string().min(1), orderId: z.string(), messageId: z.string().optional() }))
      .min(1)
      .max(10_000),
  }),
  z.strictObject({ orderIds: z.array(z.string().min(1)).min(1).max(10_000) }),
]);

export type ReplaySelection = z.infer<typeof replaySelectionSchema>;

/** What names one parked entry. */
export function entryKeyOf(entry: ParkedEntryKey): ParkedEntryKey {
  return { source: entry.source, orderId: entry.orderId, ...(entry.messageId === undefined ? {} : { messageId: entry.messageId }) };
}

/** The parked entries a selection names. */
export function selectParked<T extends ParkedSummary>(parked: readonly T[], selection: ReplaySelection): T[] {
  if ('group' in selection) return parked.filter((p) => failureKeyOf(p).key === selection.group);
  if ('orderIds' in selection) return parked.filter((p) => selection.orderIds.includes(p.orderId));
  return parked.filter((p) =>
    selection.entries.some((e) => e.source === p.source && e.orderId === p.orderId && e.messageId === p.messageId),
  );
}

export type DryRunVerdict = 'wouldPass' | 'wouldFail' | 'cannotTell' | 'notReplayable';

export interface DryRunResult {
  source: string;
  orderId: string;
  messageId?: string;
  /** What it was parked with. */
  parkedCode: string;
  verdict: DryRunVerdict;
  /** Why not, or what only a real replay can tell. */
  reason?: string;
  /** The code it would fail with now. */
  code?: string;
  /** The mappings in force that it was mapped with. */
  mappings?: string;
}

export interface DryRunDeps {
  /** The mappings in force: those the running app loaded. */
  orderMappings: OrderMappings;
  updateMapping: CompiledMapping;
}

/** Parked with these, an entry that maps now would pass the step that parked it. */
const DATA_CODES = new Set<string>([ErrorCodes.ECP_ORDER_INVALID, ErrorCodes.MESSAGE_INVALID]);
const decidedByMapping = (code: string): boolean => code.startsWith('MAPPING.') || DATA_CODES.has(code);

const baseOf = (entry: ParkedMessage): Pick<DryRunResult, 'source' | 'orderId' | 'messageId' | 'parkedCode'> => ({
  ...entryKeyOf(entry),
  parkedCode: entry.code,
});

function mapped(entry: ParkedMessage, mappings: string, map: () => void): DryRunResult {
  const base = { ...baseOf(entry), mappings };
  try {
    map();
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    const details = error.details.filter((detail) => !error.message.includes(detail)).slice(0, 5);
    return { ...base, verdict: 'wouldFail', code: error.code, reason: [error.message, ...details].join('; ') };
  }
  if (decidedByMapping(entry.code)) return { ...base, verdict: 'wouldPass' };
  return {
    ...base,
    verdict: 'cannotTell',
    reason: `it maps now; it was parked with ${entry.code}, which only the ${entry.source === QueueNames.ONLINE_ORDERS ? 'ERP' : 'ECP'} can answer again`,
  };
}

/**
 * What a replay would do, without sending anything: each parked order mapped again with the
 * mappings in force (and checked as the integrator checks it), each parked ERP update mapped to
 * the ECP's update. Whether it then passes the ERP or the ECP only a real replay can tell; an
 * order event is fetched from the ECP again and a confirmation branch calls SendGrid or Mailchimp,
 * so those are `cannotTell`.
 */
export function dryRunReplay(entries: readonly ParkedMessage[], deps: DryRunDeps): DryRunResult[] {
  return entries.map((entry): DryRunResult => {
    const base = baseOf(entry);
    if (!entry.replayable) return { ...base, verdict: 'notReplayable', reason: `the message itself is unusable (${entry.code})` };
    let payload: unknown;
    try {
      payload = JSON.parse(entry.payload);
    } catch {
      return { ...base, verdict: 'wouldFail', code: ErrorCodes.MESSAGE_INVALID, reason: 'its payload is not JSON' };
    }
    switch (entry.source) {
      case QueueNames.ONLINE_ORDERS:
        return mapped(entry, mappingVersions(deps.orderMappings), () => mapToSalesOrder(payload, entry.orderId, deps.orderMappings));
      case QueueNames.ERP_UPDATES:
        return mapped(entry, mappingLabel(deps.updateMapping), () => {
          const update = parseOrFail(canonicalUpdateSchema, payload, { code: ErrorCodes.MESSAGE_INVALID, what: 'canonical update' });
          runMapping(deps.updateMapping, update);
        });
      case ParkedSources.ORDER_EVENTS:
        return { ...base, verdict: 'cannotTell', reason: 'a replay fetches the order from the ECP again and maps it then' };
      default:
        return {
          ...base,
          verdict: 'cannotTell',
          reason: 'a replay runs the confirmation branch again: SendGrid or Mailchimp answer only then',
        };
    }
  });
}

/** The verdicts counted. */
export function dryRunSummary(results: readonly DryRunResult[]): Record<DryRunVerdict, number> {
  const summary: Record<DryRunVerdict, number> = { wouldPass: 0, wouldFail: 0, cannotTell: 0, notReplayable: 0 };
  for (const result of results) summary[result.verdict]++;
  return summary;
}
