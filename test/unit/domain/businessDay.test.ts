import { dayIn, isTimeZone } from '../../../src/domain/businessDay';

describe('the day it is in the price list’s time zone', () => {
  it('is the local calendar day, which differs from the UTC one around midnight', () => {
    const lateEvening = new Date('2026-12-31T23:30:00.000Z');
    expect(dayIn('UTC', lateEvening)).toBe('2026-12-31');
    expect(dayIn('Europe/Amsterdam', lateEvening)).toBe('2027-01-01');
    expect(dayIn('America/New_York', new Date('2027-01-01T03:00:00.000Z'))).toBe('2026-12-31');
  });

  it('follows daylight saving time', () => {
    // Amsterdam is UTC+2 in summer: 22:30 UTC is already the next day there.
    expect(dayIn('Europe/Amsterdam', new Date('2026-07-14T22:30:00.000Z'))).toBe('2026-07-15');
    expect(dayIn('Europe/Amsterdam', new Date('2026-01-14T22:30:00.000Z'))).toBe('2026-01-14');
  });

  it('answers UTC, the default, as Intl does', () => {
    for (const at of ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2026-03-29T01:30:00.000Z'].map((iso) => new Date(iso))) {
      const viaIntl = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
      expect([dayIn('UTC', at), dayIn('Etc/UTC', at)]).toEqual([viaIntl, viaIntl]);
    }
  });

  it('knows IANA time zones and refuses other names', () => {
    expect(['UTC', 'Etc/UTC', 'Europe/Amsterdam', 'Asia/Kolkata'].map(isTimeZone)).toEqual([true, true, true, true]);
    expect(['Europe/Amsterdm', 'CEST+1', ''].map(isTimeZone)).toEqual([false, false, false]);
  });
});
