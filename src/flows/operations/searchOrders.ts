import { z } from 'zod';
import { rangeOf, withDateRange } from './dateRange';
import { isOrderId } from '../../domain/orderId';
import { OrderStates, type OrderState } from '../../domain/orderLedger';
import type { IndexedOrder, OrderIndexPort } from '../../ports/OrderIndexPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import { indexedOrderOf } from '../../domain/indexedOrder';

const DAY_MS = 24 * 60 * 60_000;
/** A search looks back a week unless told otherwise, and at most a quarter at once. */
const DEFAULT_RANGE_MS = 7 * DAY_MS;
const MAX_RANGE_DAYS = 92;

/** An order search, as the ops API and the CLI take it; `to` is exclusive. */
export const orderSearchSchema = withDateRange(
  {
    /** An ECP order id or an ERP order id: the order it names, whatever its date. */
    query: z.string().trim().min(1).max(100).optional(),
    state: z.enum(Object.values(OrderStates) as [OrderState, ...OrderState[]]).optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'the cursor a previous page gave')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  },
  MAX_RANGE_DAYS,
);

export type OrderSearch = z.input<typeof orderSearchSchema>;

export interface OrderSearchPage {
  orders: IndexedOrder[];
  /** The range searched (none for a search by id). */
  range?: { from: string; to: string };
  nextCursor?: string;
}

export interface SearchOrdersDeps {
  index: OrderIndexPort;
  ledger: Pick<OrderLedgerPort, 'get'>;
  now: () => Date;
}

/**
 * Orders by ECP order id or ERP order id (the ledger's truth, whatever the date), or by state and
 * the date the hub received them, newest first, paged. Nothing personal: an order's own page shows that.
 */
export async function searchOrders(search: OrderSearch, deps: SearchOrdersDeps): Promise<OrderSearchPage> {
  const q = orderSearchSchema.parse(search);
  if (q.query !== undefined) {
    const byErpId = await deps.index.orderIdOfErpOrder(q.query);
    const ids = [...new Set([...(isOrderId(q.query) ? [q.query] : []), ...(byErpId === undefined ? [] : [byErpId])])];
    const found = await Promise.all(ids.map(async (id) => (await deps.ledger.get(id))?.entry));
    const orders = found
      .filter((entry) => entry !== undefined)
      .map(indexedOrderOf)
      .filter((order) => q.state === undefined || order.state === q.state);
    return { orders };
  }
  const { from, to } = rangeOf(q, deps.now(), DEFAULT_RANGE_MS);
  const page = await deps.index.page({
    from,
    to,
    limit: q.limit,
    ...(q.state === undefined ? {} : { state: q.state }),
    ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
  });
  return { ...page, range: { from: from.toISOString(), to: to.toISOString() } };
}
