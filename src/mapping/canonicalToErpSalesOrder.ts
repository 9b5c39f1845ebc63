import type { CanonicalOrder } from '../domain/canonicalOrder';
import type { ErpSalesOrder } from '../platforms/erp/erpSalesOrder';

const SHIPMENT_METHODS: Readonly<Record<string, string>> = { standard: 'STD', express: 'EXP', pickup: 'PICKUP' };
const PAYMENT_METHODS: Readonly<Record<string, string>> = { card: 'CARD', paypal: 'PAYPAL', invoice: 'INVOICE' };

function taxCode(rate: number): string {
  if (rate === 0) return 'ZERO';
  if (rate < 0.1) return 'REDUCED';
  return 'STANDARD';
}

/** Every ERP create carries this: the ERP's external document number and the idempotency key. */
export function externalDocumentNumberFor(orderId: string): string {
  return `ECP-${orderId}`;
}

/** Canonical order → ERP sales order. Replaced by the mapping file `mappings/canonical-to-erp-sales-order` later. */
export function canonicalToErpSalesOrder(order: CanonicalOrder): ErpSalesOrder {
  return {
    externalDocumentNumber: externalDocumentNumberFor(order.orderId),
    orderDate: order.placedAt.slice(0, 10),
    currencyCode: order.currency,
    customerNumber: `WEB-${order.shipTo.countryCode}`,
    sellTo: {
      name: `${order.customer.givenName} ${order.customer.familyName}`.slice(0, 100),
      email: order.customer.email,
      ...(order.customer.phone === undefined ? {} : { phone: order.customer.phone }),
    },
    shipTo: {
      name: order.shipTo.name.slice(0, 100),
      address: order.shipTo.street.slice(0, 100),
      ...(order.shipTo.street2 === undefined ? {} : { address2: order.shipTo.street2.slice(0, 50) }),
      city: order.shipTo.city.slice(0, 30),
      postCode: order.shipTo.postalCode,
      ...(order.shipTo.region === undefined ? {} : { county: order.shipTo.region.slice(0, 30) }),
      countryCode: order.shipTo.countryCode,
    },
    shipmentMethodCode: SHIPMENT_METHODS[order.shipping.method] ?? 'STD',
    paymentMethodCode: PAYMENT_METHODS[order.payment.method] ?? 'OTHER',
    lines: order.lines.map((line) => ({
      lineNo: line.lineNumber * 10_000,
      itemNo: line.sku,
      description: line.description.slice(0, 100),
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineAmount: line.lineTotal,
      taxCode: taxCode(line.taxRate),
    })),
    amounts: { totalExclTax: order.totals.net, totalTax: order.totals.tax, totalInclTax: order.totals.gross },
  };
}
