import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { stockOfSku } from '../inventory/stockOfSku';

/** GET /api/ops/stock/skus/{sku}: the SKU at each shop location, every figure read now. */
export async function opsStockOfSku(request: HttpRequest): Promise<HttpResponseInit> {
  const shown = await stockOfSku(hubServices().stock, request.params.sku ?? '');
  return 'unknown' in shown ? { status: 404, jsonBody: { error: shown.unknown } } : { status: 200, jsonBody: shown };
}

app.http('opsStockOfSku', { methods: ['GET'], authLevel: 'function', route: 'ops/stock/skus/{sku}', handler: opsStockOfSku });
