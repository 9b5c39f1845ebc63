import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { HubError } from '../../domain/HubError';
import { assertOrderId } from '../../domain/orderId';
import { orderDocument } from './orderDocument';

/** GET /api/ops/orders/{orderId}: one order's journey, ledger entry, parked entries, confirmation and lifecycle, as one document. */
export async function opsOrder(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let orderId: string;
  try {
    orderId = assertOrderId(request.params.orderId);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    return { status: 400, jsonBody: { error: error.message, details: error.details } };
  }
  const document = await orderDocument(orderId, hubServices().operations);
  context.info(`order ${orderId}: ${document.state}, ${document.steps.length} steps`);
  return { status: document.state === 'unknown' && document.steps.length === 0 ? 404 : 200, jsonBody: document };
}

app.http('opsOrder', { methods: ['GET'], authLevel: 'function', route: 'ops/orders/{orderId}', handler: opsOrder });
