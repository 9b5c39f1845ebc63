import { QueueNames } from '../../config/queues';
import type { CanonicalOrder } from '../../domain/canonicalOrder';
import { confirmationIdOf, ConfirmationKinds, orderConfirmationRequest } from '../../domain/confirmation';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';

/**
 * Asks for the customer's confirmation once the ERP holds the order: a request on `confirmations`
 * whose message id is the confirmation's own, so that a second request for the order (a redelivery
 * after the ERP took it) is dropped by duplicate detection, and started at most once past it.
 */
export async function requestConfirmation(
  order: CanonicalOrder,
  erpOrderId: string,
  sender: QueueSenderPort,
  correlationId?: string,
): Promise<string> {
  const confirmationId = confirmationIdOf(ConfirmationKinds.ORDER, order.orderId);
  await sender.send(QueueNames.CONFIRMATIONS, {
    body: { request: orderConfirmationRequest(order, erpOrderId) },
    messageId: confirmationId,
    sessionId: order.orderId,
    ...(correlationId === undefined ? {} : { correlationId }),
  });
  return confirmationId;
}
