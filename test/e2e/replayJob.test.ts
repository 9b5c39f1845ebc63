import type { EcpOrder } from '../../src/platforms/ecp/ecpOrder';
import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import type { ReplayJobView } from '../../src/ports/ReplayJobsPort';
import { copyOfMappings } from '../support/mappingsCopy';
import { startTestStack, waitFor, type TestStack } from '../support/stack';

const ORDERS = 50;
jest.setTimeout(240_000);

describe('a replay job through the ops API: guarded, paced, cancellable, with lineage', () => {
  const mappings = copyOfMappings();
  let test: TestStack | undefined;
  afterAll(async () => await test?.stop());

  it(`replays a group of ${ORDERS} orders parked for an unknown SKU: refused while the lookup is missing, then at 10 per second, each in the ERP once`, async () => {
    test = await startTestStack({ settings: { MAPPINGS_DIR: mappings.dir } });
    const { stack } = test;
    const hub = () => createHubServices(loadSettings(stack.settings));
    const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const response = await fetch(`${stack.functionsUrl}/api/ops/${path}?code=${encodeURIComponent(stack.functionKey)}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-ms-client-principal-name': 'ana@shop.example' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const job = async (jobId: string) => (await api('GET', `replays/${jobId}`)).body as unknown as ReplayJobView;

    const orders: EcpOrder[] = [];
    for (let i = 0; i < ORDERS; i++) orders.push(await stack.ecp.placeOrder({ lines: [{ sku: NEW_PRODUCT.sku, quantity: 1 + (i % 3) }] }));
    await waitFor(async () => (await hub().replay.parked.list()).length === ORDERS, 120_000, `${ORDERS} parked orders`);
    const failures = (await api('GET', 'failures')).body as { groups: { key: string; code: string; count: number }[] };
    expect(failures.groups).toEqual([expect.objectContaining({ code: ErrorCodes.MAPPING_UNKNOWN_SKU, count: ORDERS })]);
    const group = failures.groups[0]!.key;

    // Before the fix a replay sends nothing: every entry would fail again. It is cancelled mid-way.
    const guarded = await api('POST', 'failures/replay', { dryRun: false, group, rate: 1 });
    expect(guarded.status).toBe(202);
    const guardedId = String(guarded.body.jobId);
    await waitFor(async () => ((await job(guardedId)).progress?.done ?? 0) >= 0, 10_000, 'the guarded job to start');
    const cancel = await api('POST', `replays/${guardedId}/cancel`, { reason: 'the lookup is not fixed yet' });
    expect(cancel).toMatchObject({ status: 202, body: { cancelled: true, by: 'ana@shop.example' } });
    await waitFor(async () => (await job(guardedId)).state === 'cancelled', 30_000, 'the job cancelled');
    expect((await job(guardedId)).reason).toBe('cancelled by ana@shop.example: the lookup is not fixed yet');
    expect((await api('POST', `replays/${guardedId}/cancel`)).status).toBe(409);
    expect(stack.erp.salesOrders).toHaveLength(0);
    expect(await hub().replay.parked.list()).toHaveLength(ORDERS);

    // The integration engineer adds the row; the host restarts with the new version of the mapping.
    const version = mappings.addItem(NEW_PRODUCT.sku, NEW_PRODUCT.itemNo);
    await stack.stopHost();
    await stack.startHost();
    const dryRun = await api('POST', 'failures/replay', { dryRun: true, group });
    expect(dryRun.body.summary).toEqual({ wouldPass: ORDERS, wouldFail: 0, cannotTell: 0, notReplayable: 0 });
    expect(stack.erp.salesOrders).toHaveLength(0);

    const started = await api('POST', 'failures/replay', { dryRun: false, group, rate: 10 });
    expect(started).toMatchObject({ status: 202, body: { entries: ORDERS, rate: 10, by: 'ana@shop.example' } });
    const jobId = String(started.body.jobId);
    const seen: number[] = [];
    await waitFor(
      async () => {
        const view = await job(jobId);
        seen.push(view.progress?.done ?? 0);
        return view.state === 'completed';
      },
      60_000,
      'the replay job to complete',
    );
    const done = await job(jobId);
    expect(done.progress).toMatchObject({ total: ORDERS, done: ORDERS, replayed: ORDERS, kept: 0, gone: 0, rate: 10 });
    // Progress showed as it went, a batch at a time; 10 per second take about five seconds for 50.
    expect(seen.some((n) => n > 0 && n < ORDERS)).toBe(true);
    const seconds = (Date.parse(done.progress!.updatedAt) - Date.parse(done.progress!.requestedAt)) / 1000;
    expect(seconds).toBeGreaterThanOrEqual((ORDERS - 1) / 10);
    expect((await api('GET', 'replays')).body.jobs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ jobId, state: 'completed' }),
        expect.objectContaining({ jobId: guardedId, state: 'cancelled' }),
      ]),
    );

    const inErp = (id: string) => stack.erp.salesOrders.filter((o) => o.externalDocumentNumber === externalDocumentNumberFor(id)).length;
    await waitFor(() => orders.every((o) => inErp(o.id) === 1), 60_000, 'every replayed order in the ERP');
    expect(stack.erp.stats().duplicates).toEqual([]);
    expect(await hub().replay.parked.list()).toEqual([]);
    for (const order of orders) {
      const steps = await hub().journeys.read(order.id);
      const refused = steps.find((s) => s.step === 'replay' && s.outcome === 'parked');
      const replayed = steps.find((s) => s.step === 'replay' && s.outcome === 'replayed');
      expect(replayed).toMatchObject({ function: 'replayBatch', correlationId: jobId });
      expect(replayed?.detail).toContain(`replayed by ana@shop.example in job ${jobId} from online-orders entry`);
      expect(replayed?.mappings).toContain(`canonical-to-erp-sales-order@${version}#`);
      // At most the first entry of the guarded job got as far as its check before the cancel.
      if (refused !== undefined) expect(refused.detail).toContain('not sent: it would fail again with MAPPING.UNKNOWN_SKU');
    }
  });
});
