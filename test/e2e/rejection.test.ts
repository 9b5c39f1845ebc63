import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(120_000);

describe('compensation, end to end: the ERP rejects orders', () => {
  it('each rejected order is cancelled in the ECP with its payment voided, and its customer mailed once', async () => {
    const { stack, stop } = await startTestStack();
    try {
      stack.erp.lives!.settings = { enabled: true, stepMs: 200, duplicateRate: 1, shuffle: false, maxDelayMs: 100, rejectRate: 1 };
      const orders = await Promise.all(Array.from({ length: 5 }, () => stack.ecp.placeOrder()));
      const cancelled = (orderId: string): boolean => stack.ecp.statusOf(orderId)?.fulfillmentStatus === 'cancelled';
      await waitFor(
        // Each customer was confirmed when the ERP took the order; the rejection came after.
        () => orders.every((o) => cancelled(o.id)) && stack.mail.mails.filter((m) => m.categories.includes('order-rejected')).length >= 5,
        60_000,
        'five orders cancelled and their customers mailed',
      );
      await waitFor(() => stack.erp.lives!.pending === 0, 30_000, 'the ERP to have sent every callback');

      for (const order of orders) {
        const item = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(order.id))?.order.lines[0]
          ?.itemNo;
        expect(stack.ecp.statusOf(order.id)).toMatchObject({
          fulfillmentStatus: 'cancelled',
          financialStatus: 'voided',
          cancelReason: `item ${item} is out of stock`,
        });
        const mails = stack.mail.mails.filter((m) => m.orderId === order.id && m.categories.includes('order-rejected'));
        expect(mails).toHaveLength(1);
        expect(mails[0]).toMatchObject({
          to: order.customer.email,
          subject: `Your order ${order.number} could not be completed`,
          categories: ['order-rejected'],
        });
      }
      expect(await createHubServices(loadSettings(stack.settings)).replay.parked.list()).toEqual([]);
    } finally {
      await stop();
    }
  });
});
