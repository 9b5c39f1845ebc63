import { z } from 'zod';

const DAY_MS = 24 * 60 * 60_000;

/** An instant as a query gives it: an ISO date-time with its offset, or a date (its UTC midnight). */
export const isoInstant = z.iso.datetime({ offset: true }).or(z.iso.date());

/**
 * A query's `from` and `to` (exclusive) beside its own fields: from before to, at most `maxDays`
 * apart; each refusal names the field.
 */
export function withDateRange<T extends z.ZodRawShape>(fields: T, maxDays: number) {
  // A range with only `from` runs to now.
  const span = (q: unknown): number | undefined => {
    const { from, to } = q as { from?: string; to?: string };
    return from === undefined ? undefined : (to === undefined ? Date.now() : Date.parse(to)) - Date.parse(from);
  };
  return z
    .strictObject({ ...fields, from: isoInstant.optional(), to: isoInstant.optional() })
    .refine((q) => (span(q) ?? 1) > 0, { message: 'from must come before to (or now, without to)', path: ['from'] })
    .refine((q) => (span(q) ?? 0) <= maxDays * DAY_MS, { message: `at most ${maxDays} days at once`, path: ['from'] });
}

/** The range a query names, `defaultMs` back from `to` (now by default) when it gives no `from`. */
export function rangeOf(query: { from?: string; to?: string }, now: Date, defaultMs: number): { from: Date; to: Date } {
  const to = query.to === undefined ? now : new Date(query.to);
  return { from: query.from === undefined ? new Date(to.getTime() - defaultMs) : new Date(query.from), to };
}
