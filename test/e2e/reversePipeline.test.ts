import { JsonServer } from '../../local/sandboxes/JsonServer';
import { runOrders } from '../../local/stack/orderRun';
import { freePort } from '../../local/support/freePort';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(600_000);

describe('reverse pipeline, end to end through the local runtime', () => {
  it('200 orders, every ERP callback sent twice and shuffled, the ECP failing 20% of updates → each order delivered and paid in the ECP, each update applied once, none parked', async () => {
    // A subscriber of order-lifecycle, as other systems would be.
    const lifecycle: { id: string; eventType: string; data: { orderId: string } }[] = [];
    const subscriber = new JsonServer().on('POST', /^\/events$/, (req) => {
      lifecycle.push(...(req.body as typeof lifecycle));
      return { status: 200 };
    });
    const subscriberPort = await freePort();
    await subscriber.listen(subscriberPort, '127.0.0.1');
    const { stack, stop } = await startTestStack({
      lifecycleSubscriptions: [{ name: 'test-subscriber', endpoint: `http://127.0.0.1:${subscriberPort}/events` }],
    });
    try {
      stack.erp.lives!.settings = { enabled: true, stepMs: 400, duplicateRate: 1, shuffle: true, maxDelayMs: 400, rejectRate: 0 };
      stack.ecp.faults = { ...stack.ecp.faults, updateErrorRate: 0.2 };

      const summary = await runOrders(stack, { orders: 200, timeoutMs: 300_000 });
      expect(summary).toMatchObject({ placed: 200, inErp: 200, duplicates: [], parked: 0 });

      const orderIds = [...stack.ecp.orders.keys()];
      const salesOrderOf = (orderId: string) =>
        stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(orderId));
      const final = (orderId: string): boolean => {
        const status = stack.ecp.statusOf(orderId);
        return status?.fulfillmentStatus === 'delivered' && status.financialStatus === 'paid' && status.tracking?.number !== undefined;
      };
      await waitFor(() => orderIds.every(final), 300_000, 'every order delivered and paid in the ECP');
      await waitFor(() => stack.erp.lives!.pending === 0, 60_000, 'the ERP to have sent every callback');

      for (const orderId of orderIds) {
        expect(stack.ecp.statusOf(orderId)).toMatchObject({
          erpReference: salesOrderOf(orderId)?.number,
          fulfillmentStatus: 'delivered',
          financialStatus: 'paid',
        });
      }
      const applications = [...stack.ecp.applications.values()];
      expect(applications.length).toBeGreaterThanOrEqual(200 * 3);
      expect(applications.every((n) => n === 1)).toBe(true);
      // Every callback reached the hub; a copy sent in the same second as its first is the same signed request, refused as a replay.
      expect(new Set(stack.erp.lives!.delivered).size).toBe(200 * 5);
      const hub = createHubServices(loadSettings(stack.settings));
      expect(await hub.replay.parked.list()).toEqual([]);
      // The ECP announced each of the hub's changes; the processor knew them for its own and sent nothing on.
      expect(stack.erp.stats()).toEqual({ salesOrders: 200, distinctDocuments: 200, duplicates: [], backorderedUnits: 0 });
      const journey = await hub.journeys.read(orderIds[0]!);
      const changesToFirst = [...stack.ecp.applications.keys()].filter((updateId) =>
        updateId.startsWith(`${salesOrderOf(orderIds[0]!)?.id ?? '?'}-`),
      ).length;
      await waitFor(
        async () => (await hub.journeys.read(orderIds[0]!)).filter((s) => s.step === 'echo').length === changesToFirst,
        30_000,
        'an echo for each change',
      );
      expect(changesToFirst).toBeGreaterThanOrEqual(2);
      expect(journey.filter((s) => s.step === 'queued')).toHaveLength(1);

      // Every order's life reached the subscriber (prepared may be overtaken by shipped when shuffled).
      const expected = [
        'OrderHub.OrderConfirmed',
        'OrderHub.OrderFulfilled',
        'OrderHub.OrderReceived',
        'OrderHub.OrderShipped',
        'OrderHub.OrderSubmittedToErp',
        'OrderHub.PaymentCaptured',
      ];
      const typesOf = (orderId: string): string[] =>
        [...new Set(lifecycle.filter((e) => e.data.orderId === orderId).map((e) => e.eventType))]
          .filter((t) => t !== 'OrderHub.ShipmentPrepared')
          .sort();
      await waitFor(
        () => orderIds.every((orderId) => typesOf(orderId).length === expected.length),
        60_000,
        'the lifecycle events of every order',
      );
      for (const orderId of orderIds) expect(typesOf(orderId)).toEqual(expected);
    } finally {
      await stop();
      await subscriber.close();
    }
  });
});
