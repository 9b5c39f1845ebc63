/**
 * The calendar day it is somewhere: an ERP's price lists are valid from and to dates in the
 * company's own time zone, so "the lines valid today" means today there, not in UTC.
 *
 * UTC, the default, is answered without Intl: the first `Intl.DateTimeFormat` of a process loads
 * the runtime's time-zone data (some 15 ms), which the app would otherwise pay at start checking
 * its settings.
 */

const UTC_NAMES = new Set(['UTC', 'Etc/UTC']);

/** Whether `name` is an IANA time zone this runtime knows (`Europe/Amsterdam`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (UTC_NAMES.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The day (`YYYY-MM-DD`) it is at `at` in `timeZone`. */
export function dayIn(timeZone: string, at: Date): string {
  if (UTC_NAMES.has(timeZone)) return at.toISOString().slice(0, 10);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
