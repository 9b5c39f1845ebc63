import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleApp, FUNCTION_SDKS } from '../../build/bundle';
import { importEntry } from '../../bench/coldstart/importEntry';
import { CATALOG } from '../../local/sandboxes/catalog';
import { waitForConfirmations } from '../../local/stack/confirmationRun';
import { runOrders } from '../../local/stack/orderRun';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { orderTraceId } from '../../src/telemetry/orderTrace';
import { OtlpReceiver } from '../support/otlpReceiver';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(300_000);

describe('the deployment bundle (npm run build), run by the local runtime', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'order-hub-dist-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('registers the functions and takes orders to the ERP, a 500-line order included, its SDKs and telemetry loaded from beside it', async () => {
    const { outfile } = await bundleApp(path.join(outDir, 'main.js'));
    // Cold start: the entry loads none of the SDKs the functions use; telemetry's only where configured.
    // From beside it only the OpenTelemetry API (no-op until telemetry starts), one copy for the app and the SDKs.
    expect(importEntry(outfile).loaded).toEqual(['@opentelemetry/api']);
    const withTelemetry = importEntry(outfile, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).loaded;
    expect(withTelemetry).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-trace-node', '@azure/functions-opentelemetry-instrumentation']),
    );
    expect(withTelemetry.filter((name) => (FUNCTION_SDKS as readonly string[]).includes(name))).toEqual([]);
    const receiver = new OtlpReceiver();
    const { stack, stop } = await startTestStack({
      hostEnv: { HUB_APP_ENTRY: outfile },
      settings: { OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.listen(), OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    try {
      stack.erp.faults = { ...stack.erp.faults, errorRate: 0.2 };
      // Its message is larger than a storage queue message: the stand-in carries it through a blob.
      const lines = Array.from({ length: 500 }, (_, i) => ({ sku: CATALOG[i % CATALOG.length]!.sku, quantity: 1 + (i % 4) }));
      const large = await stack.ecp.placeOrder({ lines });
      const summary = await runOrders(stack, { orders: 20 });
      await waitFor(
        () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(large.id)),
        60_000,
        'the large order in the ERP',
      );

      expect(summary).toMatchObject({ placed: 20, inErp: 20, missing: [], duplicates: [], parked: 0 });
      const inErp = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(large.id));
      expect(inErp?.order.lines).toHaveLength(500);
      expect(stack.erp.stats()).toEqual({ salesOrders: 21, distinctDocuments: 21, duplicates: [], backorderedUnits: 0 });
      // The Durable confirmations (durable-functions' client and timers, whose packages load on first use).
      const confirmed = await waitForConfirmations(
        stack,
        summary.orderIds.map((id) => confirmationIdOf('order', id)),
        { timeoutMs: 120_000 },
      );
      expect(confirmed).toMatchObject({ finished: 20, outcomes: { confirmed: 20 } });
      // The bundle's telemetry: each order's integrator span, in the order's trace.
      await waitFor(
        () =>
          summary.orderIds.every((orderId) =>
            receiver.spans.some((s) => s.name === 'erpIntegrator' && s.traceId === orderTraceId({ orderId })),
          ),
        30_000,
        "every order's erpIntegrator span",
      );
    } finally {
      await stop();
      await receiver.close();
    }
  });
});
