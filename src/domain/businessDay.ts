/**
 * The calendar day it is somewhere: an ERP's price lists are valid from and to dates in the
 * company's own time zone, so "the lines valid today" means today there, not in UTC.
 */

/** Whether `name` is an IANA time zone this runtime knows (`Europe/Amsterdam`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The day (`YYYY-MM-DD`) it is at `at` in `timeZone`. */
export function dayIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
