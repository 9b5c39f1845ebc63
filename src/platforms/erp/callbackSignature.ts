import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers the ERP signs its callbacks with. */
export const CallbackHeaders = {
  SIGNATURE: 'x-erp-signature',
  TIMESTAMP: 'x-erp-timestamp',
} as const;

/** A callback signed longer ago than this (or this far in the future) is refused. */
export const CALLBACK_TOLERANCE_SECONDS = 300;

const SCHEME = 'v1=';

function mac(secret: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The headers a sender puts on a callback: HMAC-SHA256 over `<unix seconds>.<raw body>`. */
export function signCallback(rawBody: Buffer, secret: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [CallbackHeaders.TIMESTAMP]: timestamp,
    [CallbackHeaders.SIGNATURE]: `${SCHEME}${mac(secret, timestamp, rawBody).toString('hex')}`,
  };
}

export type SignatureCheck = { ok: true; signature: string } | { ok: false; reason: string };

/**
 * Checks a callback's signature against every secret in use (several during a rotation), in
 * constant time, and its timestamp against the tolerance. The reason never quotes the body.
 */
export function verifyCallback(
  rawBody: Buffer,
  headers: { signature?: string | null; timestamp?: string | null },
  secrets: readonly string[],
  now: Date,
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp)
    return { ok: false, reason: `missing ${!signature ? CallbackHeaders.SIGNATURE : CallbackHeaders.TIMESTAMP}` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: `${CallbackHeaders.TIMESTAMP} is not unix seconds` };
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(age) > CALLBACK_TOLERANCE_SECONDS)
    return { ok: false, reason: `signed ${age} s ago, outside the ${CALLBACK_TOLERANCE_SECONDS} s tolerance` };
  if (!signature.startsWith(SCHEME) || !/^[0-9a-f]{64}$/.test(signature.slice(SCHEME.length)))
    return { ok: false, reason: `${CallbackHeaders.SIGNATURE} is not v1=<64 hex digits>` };
  const given = Buffer.from(signature.slice(SCHEME.length), 'hex');
  let matched = false;
  for (const secret of secrets) {
    // Every secret is tried, matched or not, so the time taken says nothing about which matched.
    if (timingSafeEqual(mac(secret, timestamp, rawBody), given)) matched = true;
  }
  return matched ? { ok: true, signature } : { ok: false, reason: 'signature does not match' };
}
