import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { waitForConfirmations } from '../../local/stack/confirmationRun';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import type { FailurePage } from '../../src/flows/operations/failureGroups';
import type { OrderDocument } from '../../src/flows/operations/orderDocument';
import { orderTraceId } from '../../src/telemetry/orderTrace';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(180_000);

describe('the ops API through the local runtime, behind function keys', () => {
  it('groups what is parked and shows one order as one document; refuses without a key, and a query it cannot read', async () => {
    const { stack, stop } = await startTestStack();
    try {
      const call = async (path: string, key: string | null): Promise<{ status: number; body: unknown }> => {
        const url = new URL(`${stack.functionsUrl}/api/ops/${path}`);
        if (key !== null) url.searchParams.set('code', key);
        const response = await fetch(url);
        const text = await response.text();
        return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      };
      type Answer<T> = { status: number; body: T };
      const failures = (query = '', key: string | null = stack.functionKey) =>
        call(`failures${query}`, key) as Promise<Answer<FailurePage & { error: string; details: string[] }>>;
      const order = (orderId: string, key: string | null = stack.functionKey) =>
        call(`orders/${orderId}`, key) as Promise<Answer<OrderDocument & { error: string }>>;

      const unknown = await Promise.all([1, 2, 3].map(() => stack.ecp.placeOrder({ lines: [{ sku: NEW_PRODUCT.sku, quantity: 1 }] })));
      const normal = await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
      await waitFor(async () => (await failures()).body.totalEntries === 3, 60_000, 'three parked orders in the failures');
      await waitFor(
        () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(normal.id)),
        60_000,
        'the normal order in the ERP',
      );

      expect((await failures('', null)).status).toBe(401);
      expect((await order(normal.id, 'not-a-key')).status).toBe(401);

      const { status, body: page } = await failures();
      expect(status).toBe(200);
      expect(page).toMatchObject({ totalGroups: 1, totalEntries: 3 });
      expect(page.groups[0]).toMatchObject({ code: ErrorCodes.MAPPING_UNKNOWN_SKU, count: 3, replayable: 3, sources: ['online-orders'] });
      expect(page.groups[0]?.mappings).toMatch(/canonical-to-erp-sales-order@\d+#/);
      expect([...(page.groups[0]?.orderIds ?? [])].sort()).toEqual(unknown.map((o) => o.id).sort());
      expect(page.groups[0]?.sampleReason).toContain(NEW_PRODUCT.sku);
      expect((await failures('?from=2000-01-01&to=2000-01-02')).body.totalEntries).toBe(0);

      const refused = await failures('?from=yesterday&limit=9999');
      expect(refused.status).toBe(400);
      expect(refused.body.details.join(' ')).toMatch(/from: .*limit: /);

      const parkedOrder = await order(unknown[0]!.id);
      expect(parkedOrder.status).toBe(200);
      expect(parkedOrder.body).toMatchObject({
        orderId: unknown[0]!.id,
        state: 'parked',
        traceId: orderTraceId({ orderId: unknown[0]!.id }),
      });
      expect(parkedOrder.body.parked.map((p) => p.code)).toEqual([ErrorCodes.MAPPING_UNKNOWN_SKU]);
      expect(parkedOrder.body.steps.at(-1)).toMatchObject({ function: 'erpIntegrator', outcome: 'parked' });

      await waitForConfirmations(stack, [confirmationIdOf('order', normal.id)], { timeoutMs: 60_000 });
      const inErp = await order(normal.id);
      expect(inErp.body.state).toBe('submitted');
      expect(inErp.body.ledger?.erpOrderId).toBeDefined();
      expect(inErp.body.confirmation?.conclusion?.status).toBe('confirmed');
      expect(inErp.body.lifecycle.map((e) => e.type)).toEqual(
        expect.arrayContaining(['OrderReceived', 'OrderSubmittedToErp', 'OrderConfirmed']),
      );

      expect((await order('99999999')).status).toBe(404);
      const badId = await order('not%20an%20id');
      expect(badId.status).toBe(400);
      expect(badId.body.error).toContain('not a valid ECP order id');
    } finally {
      await stop();
    }
  });
});
