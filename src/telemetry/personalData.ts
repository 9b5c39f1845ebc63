/** E-mail addresses, the personal data most likely to slip into a log line (from a remote system's error text). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * A log line as telemetry may keep it: any e-mail address in it replaced. The hub's own log lines
 * name orders by id and failures by code; this is the net under them for text quoted from others.
 */
export function withoutPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]');
}
