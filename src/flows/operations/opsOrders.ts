import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { describeIssues } from '../../domain/validate';
import { orderSearchSchema, searchOrders } from './searchOrders';

/** GET /api/ops/orders?query=&state=&from=&to=&cursor=&limit=: orders by ECP or ERP order id, or by state and date, newest first, paged. */
export async function opsOrders(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  // `code` is the function key, which the host reads and passes on.
  const { code: _key, ...given } = Object.fromEntries(request.query.entries());
  const search = orderSearchSchema.safeParse(given);
  if (!search.success) return { status: 400, jsonBody: { error: 'not a valid order search', details: describeIssues(search.error) } };
  const page = await searchOrders(search.data, hubServices().operations);
  context.info(`order search: ${page.orders.length} orders${page.nextCursor === undefined ? '' : ', more to page'}`);
  return { status: 200, jsonBody: page };
}

app.http('opsOrders', { methods: ['GET'], authLevel: 'function', route: 'ops/orders', handler: opsOrders });
