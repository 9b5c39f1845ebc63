import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { readQuery } from './selectionRequest';
import { orderSearchSchema, searchOrders } from './searchOrders';

/** GET /api/ops/orders?query=&state=&from=&to=&cursor=&limit=: orders by ECP or ERP order id, or by state and date, newest first, paged. */
export async function opsOrders(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = readQuery(request, 'order search', orderSearchSchema);
  if ('refused' in read) return read.refused;
  const page = await searchOrders(read.query, hubServices().operations);
  context.info(`order search: ${page.orders.length} orders${page.nextCursor === undefined ? '' : ', more to page'}`);
  return { status: 200, jsonBody: page };
}

app.http('opsOrders', { methods: ['GET'], authLevel: 'function', route: 'ops/orders', handler: opsOrders });
