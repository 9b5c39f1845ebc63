import { newLedgerEntry, recordSubmitted, type OrderState } from '../../../../src/domain/orderLedger';
import { indexedOrderOf } from '../../../../src/domain/indexedOrder';
import { orderStats, statsQuerySchema } from '../../../../src/flows/operations/orderStats';
import { orderSearchSchema, searchOrders } from '../../../../src/flows/operations/searchOrders';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { InMemoryLedger, InMemoryOrderIndex, InMemoryParked } from '../../../support/fakes';

const NOW = new Date('2026-12-03T12:00:00Z');
const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 60 * 60_000);

async function setup() {
  const index = new InMemoryOrderIndex();
  const ledger = new InMemoryLedger();
  const add = async (orderId: string, receivedHoursAgo: number, state: OrderState, submittedAfterMinutes?: number) => {
    let entry = newLedgerEntry(orderId, 1, `ECP-${orderId}`, hoursAgo(receivedHoursAgo), hoursAgo(receivedHoursAgo + 0.05).toISOString());
    if (submittedAfterMinutes !== undefined)
      entry = recordSubmitted(entry, `SO-${orderId}`, new Date(hoursAgo(receivedHoursAgo).getTime() + submittedAfterMinutes * 60_000));
    else entry = { ...entry, state };
    await ledger.create(entry);
    await index.record(indexedOrderOf(entry));
  };
  await add('10001', 1, 'submitted', 1);
  await add('10002', 2, 'submitted', 2);
  await add('10003', 3, 'parked');
  await add('10004', 30, 'submitted', 3);
  await add('10005', 0.5, 'awaitingRetry');
  return { index, ledger };
}

describe('order search', () => {
  it('finds an order by its ECP id or its ERP id, whatever its date, and nothing personal', async () => {
    const { index, ledger } = await setup();
    const deps = { index, ledger, now: () => NOW };
    expect((await searchOrders({ query: '10004' }, deps)).orders.map((o) => o.orderId)).toEqual(['10004']);
    const byErp = await searchOrders({ query: 'SO-10002' }, deps);
    expect(byErp.orders).toEqual([expect.objectContaining({ orderId: '10002', state: 'submitted', erpOrderId: 'SO-10002' })]);
    expect(Object.keys(byErp.orders[0] ?? {})).not.toEqual(expect.arrayContaining(['email']));
    expect((await searchOrders({ query: 'nothing' }, deps)).orders).toEqual([]);
    // Not an order id (it could not be a table key): only the ERP ids are looked in.
    expect((await searchOrders({ query: 'a/b#c' }, deps)).orders).toEqual([]);
  });

  it('lists by state and date, newest first, paged; the last week by default', async () => {
    const { index, ledger } = await setup();
    const deps = { index, ledger, now: () => NOW };
    const first = await searchOrders({ limit: 2 }, deps);
    expect(first.orders.map((o) => o.orderId)).toEqual(['10005', '10001']);
    expect(first.range).toEqual({ from: new Date(NOW.getTime() - 7 * 24 * 3600_000).toISOString(), to: NOW.toISOString() });
    const second = await searchOrders({ limit: 2, cursor: first.nextCursor }, deps);
    expect(second.orders.map((o) => o.orderId)).toEqual(['10002', '10003']);
    expect((await searchOrders({ state: 'submitted', from: hoursAgo(24).toISOString() }, deps)).orders.map((o) => o.orderId)).toEqual([
      '10001',
      '10002',
    ]);
    await expect(searchOrders({ from: NOW.toISOString(), to: hoursAgo(1).toISOString() }, deps)).rejects.toThrow(
      'from must come before to',
    );
  });
});

describe('the date range of a search or the statistics', () => {
  it('refuses a from after now, or too far back, when to is left out, naming from', () => {
    const future = orderSearchSchema.safeParse({ from: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.success).toBe(false);
    expect(future.error?.issues[0]).toMatchObject({ path: ['from'], message: 'from must come before to (or now, without to)' });
    const stats = statsQuerySchema.safeParse({ from: '2000-01-01' });
    expect(stats.error?.issues[0]).toMatchObject({ path: ['from'], message: 'at most 31 days at once' });
    expect(statsQuerySchema.safeParse({ from: new Date(Date.now() - 3600_000).toISOString() }).success).toBe(true);
  });
});

describe('order statistics', () => {
  it('counts orders per state, per hour, the placed → ERP percentiles, parked per code and the dead letters', async () => {
    const { index } = await setup();
    const parked = new InMemoryParked();
    const entry = {
      source: 'online-orders',
      reason: 'x',
      details: [],
      payload: '{}',
      attempts: 1,
      parkedAt: NOW.toISOString(),
      replayable: true,
    };
    await parked.park({ ...entry, orderId: '10003', code: ErrorCodes.MAPPING_UNKNOWN_SKU });
    await parked.park({ ...entry, orderId: '10006', code: ErrorCodes.MAPPING_UNKNOWN_SKU });
    await parked.park({ ...entry, orderId: '10007', code: ErrorCodes.ERP_REJECTED });
    const queueDepths = {
      depths: (queues: readonly string[]) => Promise.resolve(queues.map((queue) => ({ queue, active: 0, deadLetters: 2 }))),
    };

    const stats = await orderStats({}, { index, parked, queueDepths, now: () => NOW });

    expect(stats.range).toEqual({ from: hoursAgo(24).toISOString(), to: NOW.toISOString() });
    expect(stats.ordersByState).toEqual({ received: 0, submitting: 0, awaitingRetry: 1, submitted: 2, parked: 1 });
    expect(stats.throughputPerHour).toHaveLength(24);
    const hour = (h: number) =>
      stats.throughputPerHour.find((x) => x.hour === new Date(Math.floor(hoursAgo(h).getTime() / 3600_000) * 3600_000).toISOString());
    // 10001 at 11:00 and 10005 at 11:30 were received in the hour from 11:00.
    expect(hour(1)).toMatchObject({ received: 2, submitted: 1 });
    expect(hour(2)).toMatchObject({ received: 1, submitted: 1 });
    // placed 3 minutes before received; submitted 1 and 2 minutes after: 4 and 5 minutes.
    expect(stats.placedToErp).toEqual({ orders: 2, p50Ms: 4 * 60_000, p95Ms: 5 * 60_000 });
    expect(stats.parkedByCode).toEqual([
      { code: ErrorCodes.MAPPING_UNKNOWN_SKU, count: 2 },
      { code: ErrorCodes.ERP_REJECTED, count: 1 },
    ]);
    expect(stats.deadLetters.map((d) => [d.queue, d.deadLetters])).toEqual([
      ['online-orders', 2],
      ['erp-updates', 2],
      ['confirmations', 2],
    ]);
  });
});
