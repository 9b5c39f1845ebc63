import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { replayParked } from '../../src/flows/operations/replayParked';
import { JourneyRecorder } from '../../src/flows/shared/JourneyRecorder';
import { copyOfMappings } from '../support/mappingsCopy';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(180_000);

describe('an unknown SKU, the cross-reference fixed, the parked orders replayed in bulk', () => {
  const mappings = copyOfMappings();

  it('parks with MAPPING.UNKNOWN_SKU naming SKU and table, then reaches the ERP once, mapped by the new version', async () => {
    const { stack, stop } = await startTestStack({ settings: { MAPPINGS_DIR: mappings.dir } });
    try {
      const hub = () => createHubServices(loadSettings(stack.settings));
      const orders = [
        await stack.ecp.placeOrder({ lines: [{ sku: NEW_PRODUCT.sku, quantity: 1 }] }),
        await stack.ecp.placeOrder({
          lines: [
            { sku: 'MUG-LOGO', quantity: 1 },
            { sku: NEW_PRODUCT.sku, quantity: 2 },
          ],
        }),
      ];
      const normal = await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
      await waitFor(async () => (await hub().replay.parked.list()).length === 2, 60_000, 'two parked orders');
      await waitFor(
        () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(normal.id)),
        60_000,
        'the order without the new product',
      );

      const parked = await hub().replay.parked.list();
      expect(parked.map((p) => p.code)).toEqual([ErrorCodes.MAPPING_UNKNOWN_SKU, ErrorCodes.MAPPING_UNKNOWN_SKU]);
      expect(parked[0]!.reason).toContain(`'${NEW_PRODUCT.sku}' is not in lookup table 'items'`);
      const firstJourney = await hub().journeys.read(orders[0]!.id);
      const version = mappings.versionOfSalesOrderMapping();
      expect(firstJourney.at(-1)).toMatchObject({
        outcome: 'parked',
        code: ErrorCodes.MAPPING_UNKNOWN_SKU,
        mappings: expect.stringContaining(`canonical-to-erp-sales-order@${version}#`),
      });

      // The integration engineer adds the row and raises the version; the host restarts with it.
      mappings.addItem(NEW_PRODUCT.sku, NEW_PRODUCT.itemNo);
      await stack.stopHost();
      await stack.startHost();

      const services = hub();
      const replayed = await replayParked(
        { code: ErrorCodes.MAPPING_UNKNOWN_SKU },
        services.replay,
        new JourneyRecorder(services.journeys, 'test'),
        { by: 'test' },
      );
      expect(replayed).toHaveLength(2);
      for (const order of orders) {
        await waitFor(
          () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(order.id)),
          60_000,
          `order ${order.id} in the ERP`,
        );
      }
      const second = stack.erp.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumberFor(orders[1]!.id));
      expect(second?.order.lines.map((l) => l.itemNo)).toEqual(['10030', NEW_PRODUCT.itemNo]);
      expect(stack.erp.stats().duplicates).toEqual([]);
      expect(await hub().replay.parked.list()).toEqual([]);
      // The integrator journals its step once the ERP has answered: the ERP may hold the order a moment before.
      const lastSubmit = async () => (await hub().journeys.read(orders[0]!.id)).filter((s) => s.step === 'submit').at(-1);
      await waitFor(async () => (await lastSubmit())?.outcome === 'ok', 30_000, 'the replayed submit journaled');
      expect(await lastSubmit()).toMatchObject({
        outcome: 'ok',
        mappings: expect.stringContaining(`canonical-to-erp-sales-order@${version + 1}#`),
      });
    } finally {
      await stop();
    }
  });
});
