import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { CallbackHeaders } from '../../platforms/erp/callbackSignature';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { withSubject } from '../../telemetry/orderTrace';
import { acceptErpCallback } from './acceptErpCallback';

/** POST /api/erp/callbacks: a signed ERP status callback → `erp-updates`, 202; or 401 / 400 with the reason. */
export async function erpCallback(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const rawBody = Buffer.from(await request.arrayBuffer());
  const services = hubServices();
  const answer = await acceptErpCallback(
    rawBody,
    { signature: request.headers.get(CallbackHeaders.SIGNATURE), timestamp: request.headers.get(CallbackHeaders.TIMESTAMP) },
    services.acceptErpCallback,
    new JourneyRecorder(services.journeys, context.functionName),
  );
  if (answer.status === 202) {
    withSubject({ orderId: answer.orderId }, () => context.info(`callback ${answer.updateId} for order ${answer.orderId} queued`));
    return { status: 202, jsonBody: { accepted: answer.updateId } };
  }
  // One line, never the body: it may hold personal data.
  context.warn(`callback refused (${answer.status}): ${answer.reason}`);
  return { status: answer.status, jsonBody: { error: answer.reason, ...('details' in answer ? { details: answer.details } : {}) } };
}

app.http('erpCallback', { methods: ['POST'], authLevel: 'function', route: 'erp/callbacks', handler: erpCallback });
