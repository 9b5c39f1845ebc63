/** Tokens of a date format in a mapping: yyyy MM dd HH mm ss SSS and XXX (offset); anything else is literal. */
const TOKEN = /yyyy|MM|dd|HH|mm|ss|SSS|XXX/g;

type Part = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError naming the zone when it is not an IANA time zone (or UTC). */
export function checkTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats an instant in a time zone; `format` is checked at load, the instant at run time. */
export function formatDate(epochMs: number, format: string, timeZone: string): string {
  const parts: Partial<Record<Part, number>> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal' && part.type in { year: 1, month: 1, day: 1, hour: 1, minute: 1, second: 1 }) parts[part.type as Part] = Number(part.value);
  }
  const get = (part: Part): number => parts[part] ?? 0;
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offsetMinutes = Math.round((local - (epochMs - (epochMs % 1000))) / 60_000);
  return format.replace(TOKEN, (token) => {
    switch (token) {
      case 'yyyy':
        return pad(get('year'), 4);
      case 'MM':
        return pad(get('month'));
      case 'dd':
        return pad(get('day'));
      case 'HH':
        return pad(get('hour'));
      case 'mm':
        return pad(get('minute'));
      case 'ss':
        return pad(get('second'));
      case 'SSS':
        return pad(((epochMs % 1000) + 1000) % 1000, 3);
      default: {
        if (offsetMinutes === 0) return 'Z';
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
      }
    }
  });
}

/** The instant a date value stands for: an ISO 8601 string or epoch milliseconds; NaN when neither. */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
  return Number.NaN;
}
