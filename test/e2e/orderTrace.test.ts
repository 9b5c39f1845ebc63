import { CUSTOMERS } from '../../local/sandboxes/catalog';
import { waitForConfirmations } from '../../local/stack/confirmationRun';
import { runOrders } from '../../local/stack/orderRun';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { orderTraceId, subjectRootContext } from '../../src/telemetry/orderTrace';
import { trace } from '@opentelemetry/api';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlpReceiver';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(300_000);

const ORDERS = 4;

describe('one connected trace per order, exported over OTLP by the app in the local runtime', () => {
  it('from the Event Grid delivery through the integrator, the ERP call, the confirmations and the ERP callbacks to the ECP', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.listen();
    const { stack, stop } = await startTestStack({
      settings: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
      },
    });
    let orderIds: string[] = [];
    /** The spans of an order whose parent is neither another of its spans nor the order's root. */
    const looseSpans = (orderId: string): ReceivedSpan[] => {
      const spans = receiver.spans.filter((s) => s.attributes['order.id'] === orderId);
      const ids = new Set(spans.map((s) => s.spanId));
      const root = trace.getSpanContext(subjectRootContext({ orderId }))?.spanId;
      return spans.filter((s) => s.parentSpanId !== root && !ids.has(s.parentSpanId ?? ''));
    };
    try {
      stack.erp.lives!.settings = { enabled: true, stepMs: 300, duplicateRate: 0, shuffle: false, maxDelayMs: 0, rejectRate: 0 };
      const orders = await runOrders(stack, { orders: ORDERS, timeoutMs: 120_000 });
      expect(orders).toMatchObject({ inErp: ORDERS, parked: 0 });
      orderIds = orders.orderIds;
      await waitForConfirmations(
        stack,
        orders.orderIds.map((id) => confirmationIdOf('order', id)),
        { timeoutMs: 120_000 },
      );
      await waitFor(
        () => orders.orderIds.every((id) => stack.ecp.statusOf(id)?.fulfillmentStatus === 'delivered'),
        120_000,
        'every order delivered',
      );
      const spansOf = (orderId: string): ReceivedSpan[] => receiver.spans.filter((s) => s.attributes['order.id'] === orderId);
      // Every callback's update exported, the last ones' parents included (a client span ends before
      // its step does, and a step that has sent its PATCH may still be writing the ledger): as many
      // updater steps as distinct update messages, none loose, and no new span of an order for a second.
      let seen = -1;
      let steadySince = Date.now();
      await waitFor(
        () => {
          const count = receiver.spans.filter((s) => typeof s.attributes['order.id'] === 'string').length;
          if (count !== seen) [seen, steadySince] = [count, Date.now()];
          return (
            stack.erp.lives!.pending === 0 &&
            Date.now() - steadySince >= 1_000 &&
            orders.orderIds.every((id) => {
              const updaters = spansOf(id).filter((s) => s.name === 'ecpUpdater').length;
              // Distinct messages: a callback the ERP sent again is dropped by the queue's duplicate detection.
              const updates = new Set(
                spansOf(id)
                  .filter((s) => s.name === 'send erp-updates')
                  .map((s) => s.attributes['messaging.message.id']),
              );
              return updaters >= Math.max(3, updates.size) && looseSpans(id).length === 0;
            })
          );
        },
        30_000,
        'the spans of every update exported',
      );
    } finally {
      await stop();
      await receiver.close();
    }

    for (const orderId of orderIds) {
      const spans = receiver.spans.filter((s) => s.attributes['order.id'] === orderId);
      const traceId = orderTraceId({ orderId });
      // One trace: every span with the order id is in the order's trace...
      expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
      // ...and connected: each hangs from another span of it, or from the order's root.
      expect(looseSpans(orderId).map((s) => s.name)).toEqual([]);
      const names = new Set(spans.map((s) => s.name));
      for (const step of [
        'orderEventsProcessor',
        'GET ecp',
        'send online-orders',
        'erpIntegrator',
        'POST erp',
        'send confirmations',
        'confirmationStarter',
        'saveConfirmation',
        'sendConfirmationEmail',
        'addToMailingList',
        'concludeConfirmation',
        'send erp-updates',
        'ecpUpdater',
        'PATCH ecp',
      ])
        expect([orderId, names.has(step) ? step : `missing ${step}`]).toEqual([orderId, step]);
      // The integrator continues from the processor's message; the starter from the integrator's.
      const parentOf = (name: string) => spans.find((s) => s.spanId === spans.find((c) => c.name === name)?.parentSpanId)?.name;
      expect(parentOf('erpIntegrator')).toBe('send online-orders');
      expect(parentOf('confirmationStarter')).toBe('send confirmations');
      expect(parentOf('sendConfirmationEmail')).toBe('confirmationStarter');
      expect(parentOf('ecpUpdater')).toBe('send erp-updates');
      // A callback starts in the ERP's request: its message joins the order's trace, linked to that request.
      expect(spans.filter((s) => s.name === 'send erp-updates').every((s) => s.links.length > 0)).toBe(true);
    }

    // Log records of the app carry the order id too, and no telemetry holds a customer's personal data.
    const logged = receiver.logRecords.filter((r) => typeof r.attributes['order.id'] === 'string');
    expect(new Set(logged.map((r) => r.attributes['order.id']))).toEqual(new Set(orderIds));
    const aboutAnOrder = receiver.logRecords.filter((r) => /^(order|callback \S+ for order) \d+/.test(String(r.body)));
    expect(aboutAnOrder.length).toBeGreaterThan(ORDERS * 3);
    for (const record of aboutAnOrder) {
      const orderId = /order (\d+)/.exec(String(record.body))?.[1] ?? '';
      expect([record.body, record.attributes['order.id']]).toEqual([record.body, orderId]);
      // A callback's line is logged in the ERP's request; the others within the order's trace.
      if (!String(record.body).startsWith('callback'))
        expect([record.body, record.traceId]).toEqual([record.body, orderTraceId({ orderId })]);
    }
    const everything = JSON.stringify({ spans: receiver.spans, logs: receiver.logRecords });
    for (const customer of CUSTOMERS) {
      expect(everything).not.toContain(customer.email);
      expect(everything).not.toContain(customer.lastName);
    }
  });
});
