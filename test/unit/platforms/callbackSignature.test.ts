import { CallbackHeaders, signCallback, verifyCallback } from '../../../src/platforms/erp/callbackSignature';

const body = Buffer.from('{"callbackId":"cb-1","event":"Shipment.Shipped"}');
const now = new Date('2026-11-23T10:00:00Z');
const check = (headers: Record<string, string>, secrets = ['current'], at = now, raw = body) =>
  verifyCallback(
    raw,
    { signature: headers[CallbackHeaders.SIGNATURE] ?? null, timestamp: headers[CallbackHeaders.TIMESTAMP] ?? null },
    secrets,
    at,
  );

describe('ERP callback signatures', () => {
  it('accepts a callback signed with the secret', () => {
    expect(check(signCallback(body, 'current', now))).toMatchObject({ ok: true });
  });

  it('accepts the old and the new secret while a secret is rotated', () => {
    expect(check(signCallback(body, 'old', now), ['new', 'old']).ok).toBe(true);
    expect(check(signCallback(body, 'new', now), ['new', 'old']).ok).toBe(true);
  });

  it('refuses another secret, a changed body and a changed timestamp', () => {
    expect(check(signCallback(body, 'stolen', now))).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check(signCallback(body, 'current', now), ['current'], now, Buffer.from('{"callbackId":"cb-2"}'))).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    const headers = signCallback(body, 'current', now);
    headers[CallbackHeaders.TIMESTAMP] = String(Number(headers[CallbackHeaders.TIMESTAMP]) - 1);
    expect(check(headers).ok).toBe(false);
  });

  it('refuses a callback signed more than five minutes before or after now', () => {
    const signed = signCallback(body, 'current', now);
    expect(check(signed, ['current'], new Date(now.getTime() + 300_000)).ok).toBe(true);
    expect(check(signed, ['current'], new Date(now.getTime() + 301_000))).toEqual({
      ok: false,
      reason: 'signed 301 s ago, outside the 300 s tolerance',
    });
    expect(check(signed, ['current'], new Date(now.getTime() - 301_000)).ok).toBe(false);
  });

  it('says which header is missing or malformed', () => {
    expect(check({})).toEqual({ ok: false, reason: `missing ${CallbackHeaders.SIGNATURE}` });
    expect(check({ [CallbackHeaders.SIGNATURE]: 'v1=00', [CallbackHeaders.TIMESTAMP]: 'soon' })).toEqual({
      ok: false,
      reason: `${CallbackHeaders.TIMESTAMP} is not unix seconds`,
    });
    expect(check({ [CallbackHeaders.SIGNATURE]: 'sha256=abc', [CallbackHeaders.TIMESTAMP]: String(now.getTime() / 1000) })).toEqual({
      ok: false,
      reason: `${CallbackHeaders.SIGNATURE} is not v1=<64 hex digits>`,
    });
  });
});
