import type { CanonicalUpdate } from '../../domain/canonicalUpdate';
import { ErrorCodes } from '../../domain/errorCodes';
import type { LedgerEntry } from '../../domain/orderLedger';
import { parseOrFail } from '../../domain/validate';
import { ecpOrderSchema } from '../../platforms/ecp/ecpOrder';
import type { CustomerMailPort } from '../../ports/CustomerMailPort';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';
import { updateLedger } from '../shared/updateLedger';

export interface CompensationDeps {
  ledger: OrderLedgerPort;
  ecp: EcpOrdersPort;
  mail: CustomerMailPort;
}

const REJECTION_MAIL = 'order-rejected';

/**
 * When the ERP rejected the order (out of stock, credit block, payment failed): the ECP has just
 * cancelled it (through the mapping) and OrderRejected is out; the customer is told why, once.
 */
export async function compensateRejection(
  orderId: string,
  update: CanonicalUpdate,
  entry: LedgerEntry,
  deps: CompensationDeps,
): Promise<void> {
  if (entry.progress?.fulfillment !== 'rejected' || entry.customerNotified?.includes(REJECTION_MAIL) === true) return;
  const order = parseOrFail(ecpOrderSchema, await deps.ecp.getOrder(orderId), {
    code: ErrorCodes.ECP_ORDER_INVALID,
    what: 'ECP order',
  });
  const reason = update.kind === 'rejected' && update.reason !== undefined ? update.reason.text : 'it could not be fulfilled';
  await deps.mail.send({
    to: order.customer.email,
    toName: `${order.customer.firstName} ${order.customer.lastName}`,
    subject: `Your order ${order.number} could not be completed`,
    text: [
      `Dear ${order.customer.firstName} ${order.customer.lastName},`,
      '',
      `We are sorry: we could not complete your order ${order.number} (${reason}). It is cancelled, and any amount authorised on your payment is released.`,
      '',
      'We hope to see you again soon.',
    ].join('\n'),
    category: REJECTION_MAIL,
    orderId,
  });
  await updateLedger(deps.ledger, orderId, (current) =>
    current === undefined
      ? { result: undefined }
      : { write: { ...current, customerNotified: [...(current.customerNotified ?? []), REJECTION_MAIL] }, result: undefined },
  );
}
