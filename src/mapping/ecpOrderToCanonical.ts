import { CANONICAL_ORDER_VERSION, type CanonicalOrder } from '../domain/canonicalOrder';
import type { EcpOrder } from '../platforms/ecp/ecpOrder';

type EcpAddress = EcpOrder['shippingAddress'];

function toCanonicalAddress(address: EcpAddress): CanonicalOrder['shipTo'] {
  return {
    name: `${address.firstName} ${address.lastName}`,
    ...(address.company === undefined ? {} : { company: address.company }),
    street: address.line1,
    ...(address.line2 === undefined ? {} : { street2: address.line2 }),
    city: address.city,
    postalCode: address.postalCode,
    ...(address.region === undefined ? {} : { region: address.region }),
    countryCode: address.country.toUpperCase(),
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** ECP order → canonical order. Replaced by the mapping file `mappings/ecp-order-to-canonical` later. */
export function ecpOrderToCanonical(order: EcpOrder): CanonicalOrder {
  return {
    schemaVersion: CANONICAL_ORDER_VERSION,
    orderId: order.id,
    orderNumber: order.number,
    orderVersion: order.version,
    placedAt: order.createdAt,
    currency: order.currency.toUpperCase(),
    customer: {
      externalId: order.customer.id,
      email: order.customer.email.toLowerCase(),
      givenName: order.customer.firstName,
      familyName: order.customer.lastName,
      ...(order.customer.phone === undefined ? {} : { phone: order.customer.phone }),
      marketingConsent: order.customer.acceptsMarketing,
    },
    billTo: toCanonicalAddress(order.billingAddress),
    shipTo: toCanonicalAddress(order.shippingAddress),
    lines: order.lineItems.map((item, index) => ({
      lineNumber: index + 1,
      sku: item.sku,
      description: item.title,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      lineTotal: round2(item.unitPrice * item.quantity),
      taxRate: item.taxRate,
    })),
    shipping: { method: order.shipping.method, amount: order.shipping.price },
    totals: { net: round2(order.totals.subtotal + order.totals.shipping), tax: order.totals.tax, gross: order.totals.total },
    payment: {
      method: order.payment.method,
      status: order.payment.status,
      ...(order.payment.transactionId === undefined ? {} : { reference: order.payment.transactionId }),
    },
  };
}
