import type { CanonicalOrder } from '../../domain/canonicalOrder';
import { ErrorCodes } from '../../domain/errorCodes';
import { externalDocumentNumberFor } from '../../domain/externalDocumentNumber';
import { HubError } from '../../domain/HubError';
import { parseOrFail } from '../../domain/validate';
import type { CompiledMapping } from '../../mapping/compileMapping';
import { mappingLabel, runMapping } from '../../mapping/runMapping';
import { ecpOrderSchema } from '../../platforms/ecp/ecpOrder';
import type { ErpSalesOrder } from '../../platforms/erp/erpSalesOrder';

/** The compiled mapping files an order goes through: ECP order → canonical order → ERP sales order. */
export interface OrderMappings {
  ecpOrderToCanonical: CompiledMapping;
  canonicalToErpSalesOrder: CompiledMapping;
}

/** The mappings that map an order, as its journey records them: `name@version#fingerprint, ...`. */
export function mappingVersions(mappings: OrderMappings): string {
  return `${mappingLabel(mappings.ecpOrderToCanonical)}, ${mappingLabel(mappings.canonicalToErpSalesOrder)}`;
}

/**
 * The raw ECP order, checked against the ECP schema, mapped to the canonical order and on to the
 * ERP sales order. Every data problem is a permanent HubError naming the fields; a mapping that
 * changes the external document number (the order's idempotency key) is refused.
 */
export function mapToSalesOrder(
  rawOrder: unknown,
  orderId: string,
  mappings: OrderMappings,
): { canonical: CanonicalOrder; salesOrder: ErpSalesOrder } {
  const ecpOrder = parseOrFail(ecpOrderSchema, rawOrder, { code: ErrorCodes.ECP_ORDER_INVALID, what: 'ECP order' });
  if (ecpOrder.id !== orderId) {
    throw new HubError(ErrorCodes.MESSAGE_INVALID, `message for order ${orderId} carries order ${ecpOrder.id}`, {
      transient: false,
    });
  }
  const canonical = runMapping<CanonicalOrder>(mappings.ecpOrderToCanonical, ecpOrder);
  const salesOrder = runMapping<ErpSalesOrder>(mappings.canonicalToErpSalesOrder, canonical);
  const expected = externalDocumentNumberFor(orderId);
  if (salesOrder.externalDocumentNumber !== expected) {
    throw new HubError(
      ErrorCodes.MAPPING_INVALID_OUTPUT,
      `${mappingLabel(mappings.canonicalToErpSalesOrder)} made externalDocumentNumber ${salesOrder.externalDocumentNumber}; it must stay ${expected}, the order's idempotency key`,
      { transient: false, details: [`externalDocumentNumber: must be ${expected}`] },
    );
  }
  return { canonical, salesOrder };
}
