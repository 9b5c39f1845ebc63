/** Tokens of a date format in a mapping: yyyy MM dd HH mm ss SSS and XXX (offset); anything else is literal. */
const TOKEN = /yyyy|MM|dd|HH|mm|ss|SSS|XXX/g;

/** The wall-clock fields of an instant in a zone, and the zone's offset then. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

type Piece = string | ((clock: WallClock) => string);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const PIECES: Readonly<Record<string, (clock: WallClock) => string>> = {
  yyyy: (c) => String(c.year).padStart(4, '0'),
  MM: (c) => pad2(c.month),
  dd: (c) => pad2(c.day),
  HH: (c) => pad2(c.hour),
  mm: (c) => pad2(c.minute),
  ss: (c) => pad2(c.second),
  SSS: (c) => String(c.millisecond).padStart(3, '0'),
  XXX: (c) => {
    if (c.offsetMinutes === 0) return 'Z';
    const abs = Math.abs(c.offsetMinutes);
    return `${c.offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  },
};

/**
 * Offsets of one zone, by quarter hour: every zone changes its offset on a quarter-hour boundary,
 * so one Intl call serves every instant of the same quarter hour.
 */
class ZoneOffsets {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly byQuarter = new Map<number, number>();

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetMinutes(epochMs: number): number {
    const quarter = Math.floor(epochMs / 900_000);
    let offset = this.byQuarter.get(quarter);
    if (offset === undefined) {
      const at = quarter * 900_000;
      const parts: Record<string, number> = {};
      for (const part of this.formatter.formatToParts(at)) parts[part.type] = Number(part.value);
      const local = Date.UTC(
        parts.year ?? 0,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      );
      offset = Math.round((local - at) / 60_000);
      if (this.byQuarter.size > 100_000) this.byQuarter.clear();
      this.byQuarter.set(quarter, offset);
    }
    return offset;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The offsets of a zone; throws a RangeError when it is not an IANA time zone (or UTC). */
function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

let canonicalZones: Set<string> | undefined;

/**
 * Throws a RangeError naming the zone when it is not an IANA time zone (or UTC). A canonical name
 * is checked against the list of zones, which is quick; an alias (US/Eastern) by making its
 * formatter, which loads the time-zone data (some 20 ms, paid once, at start).
 */
export function checkTimeZone(timeZone: string): void {
  if (timeZone === 'UTC') return;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (!canonicalZones.has(timeZone)) zoneOffsets(timeZone);
}

/** Compiles a format once (at load); the function formats an instant in the zone (its offsets read on first use). */
export function dateFormatter(format: string, timeZone: string): (epochMs: number) => string {
  checkTimeZone(timeZone);
  const offsetOf = timeZone === 'UTC' ? () => 0 : (epochMs: number) => zoneOffsets(timeZone).offsetMinutes(epochMs);
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    if (match.index > last) pieces.push(format.slice(last, match.index));
    const piece = PIECES[match[0]];
    if (piece !== undefined) pieces.push(piece);
    last = match.index + match[0].length;
  }
  if (last < format.length) pieces.push(format.slice(last));
  return (epochMs) => {
    const offsetMinutes = offsetOf(epochMs);
    const local = new Date(epochMs + offsetMinutes * 60_000);
    const clock: WallClock = {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
      offsetMinutes,
    };
    let out = '';
    for (const piece of pieces) out += typeof piece === 'string' ? piece : piece(clock);
    return out;
  };
}

/** The instant a date value stands for: an ISO 8601 string (yyyy-MM-dd...) or epoch milliseconds; NaN when neither. */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.length >= 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) return Date.parse(value);
  return Number.NaN;
}
