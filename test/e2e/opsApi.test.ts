import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { waitForConfirmations } from '../../local/stack/confirmationRun';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import type { DryRunResult } from '../../src/flows/operations/dryRunReplay';
import type { FailurePage } from '../../src/flows/operations/failureGroups';
import type { OrderDocument } from '../../src/flows/operations/orderDocument';
import type { OrderStats } from '../../src/flows/operations/orderStats';
import type { OrderSearchPage } from '../../src/flows/operations/searchOrders';
import { orderTraceId } from '../../src/telemetry/orderTrace';
import { copyOfMappings } from '../support/mappingsCopy';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(180_000);

interface DryRunAnswer {
  dryRun: true;
  entries: number;
  summary: Record<string, number>;
  results: DryRunResult[];
}

describe('the ops API through the local runtime, behind function keys', () => {
  const mappings = copyOfMappings();

  it('groups what is parked, dry-runs a replay before and after the fix, shows one order as one document; refuses without a key, and what it cannot read', async () => {
    const { stack, stop } = await startTestStack({ settings: { MAPPINGS_DIR: mappings.dir } });
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
      const post = async (what: string, body: unknown) => {
        const response = await fetch(`${stack.functionsUrl}/api/ops/failures/${what}?code=${encodeURIComponent(stack.functionKey)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ms-client-principal-name': 'ana@shop.example' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { changed: number; by: string; error?: string } };
      };
      const dryRun = async (body: unknown) => {
        const response = await fetch(`${stack.functionsUrl}/api/ops/failures/replay?code=${encodeURIComponent(stack.functionKey)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as DryRunAnswer };
      };
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

      // A dry run of the group: each would fail as before (the lookup is not fixed); nothing is sent.
      const group = page.groups[0]!.key;
      const before = await dryRun({ dryRun: true, group });
      expect(before.status).toBe(200);
      expect(before.body.summary).toEqual({ wouldPass: 0, wouldFail: 3, cannotTell: 0, notReplayable: 0 });
      expect(before.body.results[0]?.reason).toContain(NEW_PRODUCT.sku);
      expect((await dryRun({ dryRun: false, group, rate: 1000 })).status).toBe(400);
      expect((await dryRun({ dryRun: true })).status).toBe(400);

      // The integration engineer adds the row and raises the version; the host restarts with it.
      const version = mappings.addItem(NEW_PRODUCT.sku, NEW_PRODUCT.itemNo);
      await stack.stopHost();
      await stack.startHost();
      const salesOrders = stack.erp.salesOrders.length;
      const after = await dryRun({ dryRun: true, group });
      expect(after.body.summary).toEqual({ wouldPass: 3, wouldFail: 0, cannotTell: 0, notReplayable: 0 });
      expect(after.body.results.every((r) => r.mappings?.includes(`canonical-to-erp-sales-order@${version}#`))).toBe(true);
      expect((await failures()).body.totalEntries).toBe(3);
      expect(stack.erp.salesOrders).toHaveLength(salesOrders);

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

      // Dismissed with a reason: out of the open failures, kept, on the order's page and journey; then restored.
      expect((await post('resolve', { action: 'dismiss', orderIds: [unknown[2]!.id] })).status).toBe(400);
      const dismissed = await post('resolve', { action: 'dismiss', reason: 'a test order', orderIds: [unknown[2]!.id] });
      expect(dismissed.body).toMatchObject({ changed: 1, by: 'ana@shop.example' });
      expect((await failures()).body.totalEntries).toBe(2);
      expect((await failures('?state=resolved')).body.groups[0]).toMatchObject({ code: ErrorCodes.MAPPING_UNKNOWN_SKU, count: 1 });
      const page3 = (await order(unknown[2]!.id)).body;
      expect(page3.parked[0]?.resolution).toMatchObject({ action: 'dismissed', reason: 'a test order', by: 'ana@shop.example' });
      expect(page3.steps.at(-1)).toMatchObject({ step: 'dismissed', function: 'opsResolve' });
      expect((await post('resolve', { action: 'restore', reason: 'not a test order', orderIds: [unknown[2]!.id] })).body.changed).toBe(1);
      expect((await failures()).body.totalEntries).toBe(3);

      // Search: by ECP id, by ERP id, by state and date; refused with the field that is wrong.
      const search = (query: string) =>
        call(`orders${query}`, stack.functionKey) as Promise<Answer<OrderSearchPage & { details: string[] }>>;
      expect((await search(`?query=${normal.id}`)).body.orders).toEqual([
        expect.objectContaining({ orderId: normal.id, state: 'submitted' }),
      ]);
      const erpId = inErp.body.ledger?.erpOrderId ?? '';
      expect((await search(`?query=${encodeURIComponent(erpId)}`)).body.orders.map((o) => o.orderId)).toEqual([normal.id]);
      const parkedNow = await search('?state=parked&limit=2');
      expect(parkedNow.body.orders).toHaveLength(2);
      expect(parkedNow.body.nextCursor).toBeDefined();
      const rest = await search(`?state=parked&limit=2&cursor=${parkedNow.body.nextCursor ?? ''}`);
      expect([...parkedNow.body.orders, ...rest.body.orders].map((o) => o.orderId).sort()).toEqual(unknown.map((o) => o.id).sort());
      expect(JSON.stringify(parkedNow.body)).not.toContain('@');
      const wrong = await search('?state=lost&from=yesterday');
      expect(wrong.status).toBe(400);
      expect(wrong.body.details.join(' ')).toMatch(/state: .*from: /);

      // A message Service Bus cannot read goes to the dead-letter queue; the stats count it.
      await stack.serviceBus.queue('erp-updates').sendMessage('not a Service Bus message');
      await waitFor(
        async () =>
          ((await call('stats', stack.functionKey)).body as OrderStats).deadLetters.some(
            (d) => d.queue === 'erp-updates' && d.deadLetters === 1,
          ),
        30_000,
        'the dead letter counted',
      );
      const stats = (await call('stats', stack.functionKey)) as Answer<OrderStats>;
      expect(stats.status).toBe(200);
      expect(stats.body.ordersByState).toMatchObject({ parked: 3, submitted: 1 });
      expect(stats.body.parkedByCode).toEqual([{ code: ErrorCodes.MAPPING_UNKNOWN_SKU, count: 3 }]);
      expect(stats.body.placedToErp.orders).toBe(1);
      expect(stats.body.throughputPerHour.reduce((n, h) => n + h.received, 0)).toBe(4);
      expect(stats.body.deadLetters.map((d) => d.queue)).toEqual(['online-orders', 'erp-updates', 'confirmations']);
      expect((await call('stats?from=2026-12-02&to=2026-11-01', stack.functionKey)).status).toBe(400);

      expect((await order('99999999')).status).toBe(404);
      const badId = await order('not%20an%20id');
      expect(badId.status).toBe(400);
      expect(badId.body.error).toContain('not a valid ECP order id');
    } finally {
      await stop();
    }
  });
});
