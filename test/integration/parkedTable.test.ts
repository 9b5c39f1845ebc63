import { ParkedTable } from '../../src/adapters/tables/ParkedTable';
import type { ParkedMessage } from '../../src/ports/ParkedMessagesPort';
import { startTestAzurite } from '../support/azurite';

jest.setTimeout(60_000);

describe('the parked table against Azurite', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let parked: ParkedTable;
  const entry = (source: string, orderId: string, messageId?: string): ParkedMessage => ({
    source,
    orderId,
    ...(messageId === undefined ? {} : { messageId }),
    code: 'MAPPING.UNKNOWN_SKU',
    reason: 'why',
    details: ['lines[0].itemNo'],
    payload: JSON.stringify({ id: orderId, note: 'x'.repeat(40_000) }),
    attempts: 1,
    parkedAt: '2026-12-03T10:00:00Z',
    replayable: true,
  });

  beforeAll(async () => {
    azurite = await startTestAzurite();
    parked = new ParkedTable(azurite.connectionString);
  });
  afterAll(async () => await azurite.stop());

  it("reads one order's entries by key, in every source, and no other order's whose id begins the same", async () => {
    await parked.park(entry('online-orders', '10'));
    await parked.park(entry('erp-updates', '10', 'callback-1'));
    await parked.park(entry('ecp-order-events', '10', 'event/with?odd#chars'));
    await parked.park(entry('online-orders', '100'));
    await parked.park(entry('online-orders', '1'));
    const of10 = await parked.ofOrder('10');
    expect(of10.map((m) => [m.source, m.messageId]).sort()).toEqual([
      ['ecp-order-events', 'event/with?odd#chars'],
      ['erp-updates', 'callback-1'],
      ['online-orders', undefined],
    ]);
    expect(of10[0]?.payload.length).toBeGreaterThan(40_000);
    expect((await parked.get('ecp-order-events', '10', 'event/with?odd#chars'))?.messageId).toBe('event/with?odd#chars');
    expect(await parked.get('online-orders', '10', 'no-such-message')).toBeUndefined();
  });

  it('gives an overview without payloads, open or resolved', async () => {
    await parked.setResolution('online-orders', '100', undefined, {
      action: 'dismissed',
      reason: 'test',
      by: 'ana',
      at: '2026-12-03T11:00:00Z',
    });
    const open = await parked.overview('open');
    expect(open.map((m) => m.orderId).sort()).toEqual(['1', '10', '10', '10']);
    expect(open.every((m) => !('payload' in m))).toBe(true);
    expect(open[0]).toMatchObject({ code: 'MAPPING.UNKNOWN_SKU', details: ['lines[0].itemNo'], attempts: 1, replayable: true });
    expect((await parked.overview('resolved')).map((m) => [m.orderId, m.resolution?.action])).toEqual([['100', 'dismissed']]);
  });
});
