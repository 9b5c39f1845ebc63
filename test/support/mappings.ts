import path from 'node:path';
import { loadMappings } from '../../src/mapping/loadMappings';
import { HubMappings } from '../../src/mapping/mappingNames';
import type { OrderMappings } from '../../src/flows/orderToErp/mapToSalesOrder';

/** The project's mapping files. */
export const MAPPINGS_DIR = path.join(__dirname, '..', '..', 'mappings');

/** The project's own mapping files, compiled once per test file. */
export const projectMappings = loadMappings(MAPPINGS_DIR);

export const orderMappings: OrderMappings = {
  ecpOrderToCanonical: projectMappings.get(HubMappings.ECP_ORDER_TO_CANONICAL.name),
  canonicalToErpSalesOrder: projectMappings.get(HubMappings.CANONICAL_TO_ERP_SALES_ORDER.name),
};

/** ECP order → ERP sales order through the project's mappings (for tests that need a valid sales order). */
export function salesOrderFor(ecpOrder: unknown): unknown {
  return orderMappings.canonicalToErpSalesOrder.map(orderMappings.ecpOrderToCanonical.map(ecpOrder));
}
