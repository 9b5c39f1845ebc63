import { runOrders } from '../../local/stack/orderRun';
import { LedgerTable } from '../../src/adapters/tables/LedgerTable';
import { OrderStates } from '../../src/domain/orderLedger';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(600_000);

const FAULTS = { errorRate: 0.3, timeoutAfterCommitRate: 0.05 };

describe('order pipeline, end to end through the local runtime', () => {
  it('200 orders, ERP failing 30% with 503 and 5% timing out after commit, 10% of events twice → exactly 200 ERP orders, none parked', async () => {
    const { stack, stop } = await startTestStack();
    try {
      stack.erp.faults = { ...stack.erp.faults, ...FAULTS };
      stack.ecp.faults = { ...stack.ecp.faults, duplicateEventRate: 0.1 };

      const summary = await runOrders(stack, { orders: 200, timeoutMs: 300_000 });

      expect(summary).toMatchObject({ placed: 200, inErp: 200, missing: [], duplicates: [], parked: 0 });
      expect(stack.erp.stats()).toEqual({ salesOrders: 200, distinctDocuments: 200, duplicates: [], backorderedUnits: 0 });
    } finally {
      await stop();
    }
  });

  it('the Functions host killed with SIGKILL mid-run, with creates in flight, and started again → still exactly 200', async () => {
    const { stack, stop } = await startTestStack();
    try {
      stack.erp.faults = { ...stack.erp.faults, ...FAULTS, latencyMs: 300 };
      stack.ecp.faults = { ...stack.ecp.faults, duplicateEventRate: 0.1 };
      const ledger = new LedgerTable(stack.azurite.connectionString);

      const run = runOrders(stack, { orders: 200, timeoutMs: 300_000 });
      await waitFor(
        () => stack.erp.salesOrders.length >= 60 && stack.erp.inFlightCreates > 0,
        120_000,
        '60 orders in the ERP and creates in flight',
      );
      await stack.stopHost('SIGKILL');
      const atKill = stack.erp.salesOrders.length;
      // The dead host held orders mid-create: their ledger entries still say so.
      const submitting = (await Promise.all([...stack.ecp.orders.keys()].map((id) => ledger.get(id)))).filter(
        (e) => e?.entry.state === OrderStates.SUBMITTING,
      );
      expect(submitting.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1000));
      await stack.startHost();
      const summary = await run;

      expect(atKill).toBeLessThan(200);
      expect(summary).toMatchObject({ placed: 200, inErp: 200, missing: [], duplicates: [], parked: 0 });
      expect(stack.erp.stats()).toEqual({ salesOrders: 200, distinctDocuments: 200, duplicates: [], backorderedUnits: 0 });
    } finally {
      await stop();
    }
  });
});
