import { runOrders } from '../../local/stack/orderRun';
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
      expect(stack.erp.stats()).toEqual({ salesOrders: 200, distinctDocuments: 200, duplicates: [] });
    } finally {
      await stop();
    }
  });

  it('the Functions host killed with SIGKILL mid-run and started again → still exactly 200', async () => {
    const { stack, stop } = await startTestStack();
    try {
      stack.erp.faults = { ...stack.erp.faults, ...FAULTS };
      stack.ecp.faults = { ...stack.ecp.faults, duplicateEventRate: 0.1 };

      const run = runOrders(stack, { orders: 200, timeoutMs: 300_000 });
      await waitFor(() => stack.erp.salesOrders.length >= 60, 120_000, '60 orders in the ERP');
      await stack.stopHost('SIGKILL');
      const atKill = stack.erp.salesOrders.length;
      await new Promise((r) => setTimeout(r, 1000));
      await stack.startHost();
      const summary = await run;

      expect(atKill).toBeLessThan(200);
      expect(summary).toMatchObject({ placed: 200, inErp: 200, missing: [], duplicates: [], parked: 0 });
      expect(stack.erp.stats()).toEqual({ salesOrders: 200, distinctDocuments: 200, duplicates: [] });
    } finally {
      await stop();
    }
  });
});
