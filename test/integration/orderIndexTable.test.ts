import { OrderIndexTable } from '../../src/adapters/tables/OrderIndexTable';
import { LedgerTable } from '../../src/adapters/tables/LedgerTable';
import { newLedgerEntry, recordSubmitted } from '../../src/domain/orderLedger';
import type { OrderIndexPort } from '../../src/ports/OrderIndexPort';
import { updateLedger } from '../../src/flows/shared/updateLedger';
import { startTestAzurite } from '../support/azurite';

jest.setTimeout(60_000);

describe('the order index against Azurite, written by the ledger', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let index: OrderIndexTable;
  let ledger: LedgerTable;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    index = new OrderIndexTable(azurite.connectionString);
    ledger = new LedgerTable(azurite.connectionString, index);
  });
  afterAll(async () => await azurite.stop());

  it('pages the orders of a range newest first across days, by state, and finds one by its ERP id', async () => {
    // Orders received over three days, one every six hours.
    const start = Date.parse('2026-11-29T01:00:00Z');
    for (let i = 0; i < 12; i++) {
      const at = new Date(start + i * 6 * 3600_000);
      const created = await ledger.create(newLedgerEntry(`IX-${i}`, 1, `ECP-IX-${i}`, at, at.toISOString()));
      if (i % 3 === 0)
        await ledger.replace(recordSubmitted(created.entry, `SO-IX-${i}`, new Date(at.getTime() + 60_000)), created.etag, created.entry);
    }
    const from = new Date('2026-11-29T00:00:00Z');
    const to = new Date('2026-12-02T00:00:00Z');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await index.page({ from, to, limit: 5, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.orders.length).toBeLessThanOrEqual(5);
      seen.push(...page.orders.map((o) => o.orderId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `IX-${11 - i}`));

    const submitted = await index.page({ from, to, limit: 50, state: 'submitted' });
    expect(submitted.orders.map((o) => [o.orderId, o.erpOrderId])).toEqual([
      ['IX-9', 'SO-IX-9'],
      ['IX-6', 'SO-IX-6'],
      ['IX-3', 'SO-IX-3'],
      ['IX-0', 'SO-IX-0'],
    ]);
    expect(submitted.orders[0]).toMatchObject({ receivedAt: '2026-12-01T07:00:00.000Z', submittedAt: '2026-12-01T07:01:00.000Z' });
    expect(await index.orderIdOfErpOrder('SO-IX-6')).toBe('IX-6');
    expect(await index.orderIdOfErpOrder('SO-NONE')).toBeUndefined();

    const inOneDay: string[] = [];
    for await (const order of index.all(new Date('2026-11-30T00:00:00Z'), new Date('2026-12-01T00:00:00Z'))) inOneDay.push(order.orderId);
    expect(inOneDay.sort()).toEqual(['IX-4', 'IX-5', 'IX-6', 'IX-7']);
  });

  it('is rewritten only when where the order stands changes, not for a lease or an attempt count', async () => {
    const at = new Date('2026-12-02T10:00:00Z');
    await ledger.create(newLedgerEntry('IX-LEASE', 1, 'ECP-IX-LEASE', at));
    await updateLedger(ledger, 'IX-LEASE', (current) => ({ write: { ...current!, pushAttempts: 3 }, result: undefined }));
    const writes: string[] = [];
    const spy: OrderIndexPort = {
      record: (order) => (writes.push(order.state), index.record(order)),
      page: (query) => index.page(query),
      all: (from, to) => index.all(from, to),
      orderIdOfErpOrder: (id) => index.orderIdOfErpOrder(id),
    };
    const watched = new LedgerTable(azurite.connectionString, spy);
    await updateLedger(watched, 'IX-LEASE', (current) => ({ write: { ...current!, pushAttempts: 4 }, result: undefined }));
    await updateLedger(watched, 'IX-LEASE', (current) => ({
      write: { ...current!, state: 'parked', lastErrorCode: 'ERP.REJECTED' },
      result: undefined,
    }));
    expect(writes).toEqual(['parked']);
    const page = await index.page({ from: at, to: new Date(at.getTime() + 1000), limit: 5 });
    expect(page.orders).toEqual([expect.objectContaining({ orderId: 'IX-LEASE', state: 'parked', lastErrorCode: 'ERP.REJECTED' })]);
  });
});
