import type { EcpOrder } from '../../src/platforms/ecp/ecpOrder';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import type { ReconcileRun } from '../../src/domain/reconciliationRun';
import { runTimerNow, startTestStack, waitFor, type TestStack } from '../support/stack';
import { NO_ERP_FAULTS } from '../../local/sandboxes/erp/SandboxErp';

/** 100 orders, as the issue asks (about 25 s); RECONCILER_CAMPAIGN_ORDERS sets another size. */
const ORDERS = Number(process.env.RECONCILER_CAMPAIGN_ORDERS ?? 100);
const SETTLE_MS = 3000;

jest.setTimeout(300_000);

describe('the reconciler finds the orders whose events were lost', () => {
  let test: TestStack | undefined;
  afterAll(async () => await test?.stop());

  it(`brings every order of ${ORDERS} whose event was lost (lostEventRate 0.2, ERP faults) to the ERP within two runs, none twice`, async () => {
    test = await startTestStack({
      settings: {
        // Runs only when asked (the admin API), so that the test counts them.
        RECONCILER_SCHEDULE: '0 0 0 1 1 *',
        RECONCILER_SETTLE_MS: String(SETTLE_MS),
        RECONCILER_LOOKUP_AFTER_MS: '15000',
        RECONCILER_STUCK_AFTER_MS: '15000',
        RECONCILER_WINDOW_MS: '3600000',
      },
    });
    const { stack } = test;
    const hub = createHubServices(loadSettings(stack.settings));
    const inErp = (orderId: string): number =>
      stack.erp.salesOrders.filter((o) => o.externalDocumentNumber === externalDocumentNumberFor(orderId)).length;
    const runReconciler = async (): Promise<ReconcileRun> => {
      const before = (await hub.reconcile.runs.latest(1))[0]?.runId;
      await runTimerNow(stack, 'reconciler');
      let run: ReconcileRun | undefined;
      await waitFor(
        async () => {
          run = (await hub.reconcile.runs.latest(1))[0];
          return run !== undefined && run.runId !== before;
        },
        60_000,
        'the reconciler run kept',
      );
      return run as ReconcileRun;
    };

    stack.ecp.faults = { ...stack.ecp.faults, lostEventRate: 0.2 };
    stack.erp.faults = { ...stack.erp.faults, errorRate: 0.1, timeoutAfterCommitRate: 0.05 };
    const orders: EcpOrder[] = [];
    for (let i = 0; i < ORDERS; i++) orders.push(await stack.ecp.placeOrder());
    const lost = orders.filter((o) => stack.ecp.lostEvents.has(o.id));
    const announced = orders.filter((o) => !stack.ecp.lostEvents.has(o.id));
    expect(lost.length).toBeGreaterThan(0);

    await waitFor(() => announced.every((o) => inErp(o.id) === 1), 180_000, 'every announced order in the ERP');
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 500));
    expect(lost.filter((o) => inErp(o.id) > 0)).toEqual([]);

    const first = await runReconciler();
    expect(first.outcome).not.toBe('Failed');
    expect(first.counts.listed).toBeGreaterThanOrEqual(ORDERS);
    const allThere = () => orders.every((o) => inErp(o.id) === 1);
    let runs = 1;
    try {
      await waitFor(allThere, 60_000, 'the lost orders in the ERP after the first run');
    } catch {
      // An order the first run could not fetch (it notes why) is taken by the second.
      runs = 2;
      await runReconciler();
      await waitFor(allThere, 60_000, 'the lost orders in the ERP after the second run');
    }
    expect(runs).toBeLessThanOrEqual(2);
    expect(first.counts.queuedUnseen + first.counts.failed).toBe(lost.length);

    for (const order of lost) {
      // The ERP holds it a moment before the integrator has recorded its answer.
      await waitFor(
        async () => (await hub.journeys.read(order.id)).some((s) => s.step === 'submit' && s.outcome === 'ok'),
        30_000,
        `order ${order.id}'s submit step`,
      );
      const steps = await hub.journeys.read(order.id);
      const reconciled = steps.find((s) => s.step === 'reconciled');
      expect(reconciled?.detail).toContain('no event for it reached the hub');
      expect(reconciled?.function).toBe('reconciler');
    }
    // Nothing twice, even once the orders have moved on in the ECP: a further run finds all in step.
    expect(stack.erp.stats().duplicates).toEqual([]);
    expect(stack.erp.salesOrders).toHaveLength(ORDERS);
    stack.erp.faults = { ...NO_ERP_FAULTS };
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 500));
    const last = await runReconciler();
    expect(last.counts).toMatchObject({ queuedUnseen: 0, requeued: 0, failed: 0 });
    expect(stack.erp.stats().duplicates).toEqual([]);
  });
});
