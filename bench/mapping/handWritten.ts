import type { CanonicalOrder } from '../../src/domain/canonicalOrder';
import type { ErpSalesOrder } from '../../src/platforms/erp/erpSalesOrder';
import { lookupTable } from './lookupTables';

/**
 * canonical-to-erp-sales-order written by hand in TypeScript, as a developer would, with the same
 * output as the mapping file (the benchmark checks that they agree before timing them).
 */
export function handWrittenCanonicalToErp(): (order: CanonicalOrder) => ErpSalesOrder {
  const items = lookupTable('sku-items.csv', 'sku', 'itemNo');
  const taxCodes = lookupTable('tax-codes.csv', 'rate', 'taxCode');
  const webCustomers = lookupTable('web-customers.csv', 'countryCode', 'customerNo');
  const shipmentMethods: Record<string, string> = { standard: 'STD', express: 'EXP', pickup: 'PICKUP' };
  const paymentMethods: Record<string, string> = { card: 'CARD', paypal: 'PAYPAL', invoice: 'INVOICE' };
  const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
  const cut = (text: string | undefined, length: number): string | undefined => (text === undefined ? undefined : text.slice(0, length));

  return (order) => {
    const name = `${order.customer.givenName} ${order.customer.familyName}`;
    return {
      externalDocumentNumber: `ECP-${order.orderId}`,
      orderDate: parisDay.format(Date.parse(order.placedAt)),
      currencyCode: order.currency,
      customerNumber: webCustomers.get(order.shipTo.countryCode) ?? 'WEB-OTHER',
      sellTo: {
        name: name.slice(0, 100),
        email: order.customer.email,
        ...(order.customer.phone === undefined ? {} : { phone: order.customer.phone }),
      },
      shipTo: {
        name: order.shipTo.name.slice(0, 100),
        address: order.shipTo.street.slice(0, 100),
        ...(order.shipTo.street2 === undefined ? {} : { address2: cut(order.shipTo.street2, 50) }),
        city: order.shipTo.city.slice(0, 30),
        postCode: order.shipTo.postalCode,
        ...(order.shipTo.region === undefined ? {} : { county: cut(order.shipTo.region, 30) }),
        countryCode: order.shipTo.countryCode,
      },
      shipmentMethodCode: shipmentMethods[order.shipping.method] ?? 'STD',
      paymentMethodCode: paymentMethods[order.payment.method] ?? 'OTHER',
      lines: order.lines.map((line) => {
        const itemNo = items.get(line.sku);
        if (itemNo === undefined) throw new Error(`'${line.sku}' is not in lookup table 'items'`);
        const taxCode = taxCodes.get(String(line.taxRate));
        if (taxCode === undefined) throw new Error(`'${line.taxRate}' is not in lookup table 'taxCodes'`);
        return {
          lineNo: line.lineNumber * 10_000,
          itemNo,
          description: line.description.slice(0, 100),
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          lineAmount: line.lineTotal,
          taxCode,
        };
      }),
      amounts: { totalExclTax: order.totals.net, totalTax: order.totals.tax, totalInclTax: order.totals.gross },
      ...(order.discounts.length === 0
        ? {}
        : {
            invoiceDiscountAmount: Math.round(order.discounts.reduce((sum, d) => sum + d.amount, 0) * 100) / 100,
            discountCodes: order.discounts
              .map((d) => d.code)
              .join(', ')
              .slice(0, 250),
          }),
    };
  };
}
