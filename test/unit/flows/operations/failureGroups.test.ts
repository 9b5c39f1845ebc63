import { groupFailures, failureQuerySchema } from '../../../../src/flows/operations/failureGroups';
import type { ParkedMessage } from '../../../../src/ports/ParkedMessagesPort';

const parkedEntry = (orderId: string, code: string, parkedAt: string, extra: Partial<ParkedMessage> = {}): ParkedMessage => ({
  source: 'online-orders',
  orderId,
  code,
  reason: `${code} for ${orderId}`,
  details: [],
  payload: '{}',
  attempts: 1,
  parkedAt,
  replayable: true,
  ...extra,
});

const V1 = 'ecp-order-to-canonical@3#aaaa, canonical-to-erp-sales-order@5#bbbb';
const V2 = 'ecp-order-to-canonical@3#aaaa, canonical-to-erp-sales-order@6#cccc';

const PARKED = [
  parkedEntry('1001', 'MAPPING.UNKNOWN_SKU', '2026-12-01T10:00:00.000Z', { mappings: V1 }),
  parkedEntry('1002', 'MAPPING.UNKNOWN_SKU', '2026-12-01T11:00:00.000Z', { mappings: V1 }),
  parkedEntry('1003', 'MAPPING.UNKNOWN_SKU', '2026-12-02T09:00:00.000Z', { mappings: V2 }),
  parkedEntry('1004', 'ERP.REJECTED', '2026-12-02T08:00:00.000Z', { mappings: V2 }),
  parkedEntry('1004', 'ERP.REJECTED', '2026-12-02T08:30:00.000Z', { source: 'erp-updates', messageId: 'u-1' }),
  parkedEntry('', 'EVENT.INVALID', '2026-11-30T12:00:00.000Z', { source: 'ecp-order-events', replayable: false }),
];

describe('failure groups', () => {
  it('groups by code, and by mapping version for a mapping failure: counts, first and last seen, a sample, the orders; newest group first', () => {
    const page = groupFailures(PARKED);
    expect(page.groups.map((g) => [g.code, g.mappings, g.count, g.orderIds])).toEqual([
      ['MAPPING.UNKNOWN_SKU', V2, 1, ['1003']],
      ['ERP.REJECTED', undefined, 2, ['1004']],
      ['MAPPING.UNKNOWN_SKU', V1, 2, ['1002', '1001']],
      ['EVENT.INVALID', undefined, 1, []],
    ]);
    expect(page.groups[1]).toMatchObject({
      firstSeen: '2026-12-02T08:00:00.000Z',
      lastSeen: '2026-12-02T08:30:00.000Z',
      sampleReason: 'ERP.REJECTED for 1004',
      sources: ['erp-updates', 'online-orders'],
      replayable: 2,
    });
    expect(page.groups[3]?.replayable).toBe(0);
    expect(page).toMatchObject({ totalGroups: 4, totalEntries: 6 });
    expect(page.nextCursor).toBeUndefined();
  });

  it('keeps the entries parked within a date range (to is exclusive)', () => {
    const page = groupFailures(PARKED, { from: '2026-12-01', to: '2026-12-02T08:30:00Z' });
    expect(page.totalEntries).toBe(3);
    expect(page.groups.map((g) => [g.code, g.count])).toEqual([
      ['ERP.REJECTED', 1],
      ['MAPPING.UNKNOWN_SKU', 2],
    ]);
  });

  it('pages through the groups with the cursor each page gives', () => {
    const first = groupFailures(PARKED, { limit: 3 });
    expect(first.groups).toHaveLength(3);
    expect(first.nextCursor).toBe('3');
    const second = groupFailures(PARKED, { limit: 3, cursor: first.nextCursor });
    expect(second.groups.map((g) => g.code)).toEqual(['EVENT.INVALID']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a query it cannot read, naming the field', () => {
    const bad = failureQuerySchema.safeParse({ from: 'yesterday', limit: '500', cursor: 'abc', order: 'x' });
    expect(bad.success).toBe(false);
    const fields = bad.error?.issues.map((i) => i.path.join('.') || i.code);
    expect(fields).toEqual(expect.arrayContaining(['from', 'limit', 'cursor']));
    expect(bad.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});
