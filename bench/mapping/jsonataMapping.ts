import jsonata from 'jsonata';
import { lookupTable } from './lookupTables';

const csvObject = (file: string, key: string, value: string): Record<string, string> => Object.fromEntries(lookupTable(file, key, value));

/** canonical-to-erp-sales-order in JSONata, compiled once; lookups passed as bindings. */
const EXPRESSION = `
(
  $or := function($table, $key, $default) { $exists($lookup($table, $key)) ? $lookup($table, $key) : $default };
  $must := function($table, $name, $key) { $exists($lookup($table, $key)) ? $lookup($table, $key) : $error("'" & $key & "' is not in lookup table '" & $name & "'") };
  {
    "externalDocumentNumber": "ECP-" & orderId,
    "orderDate": $parisDay(placedAt),
    "currencyCode": currency,
    "customerNumber": $or($webCustomers, shipTo.countryCode, "WEB-OTHER"),
    "sellTo": {
      "name": $substring(customer.givenName & " " & customer.familyName, 0, 100),
      "email": customer.email,
      "phone": customer.phone
    },
    "shipTo": {
      "name": $substring(shipTo.name, 0, 100),
      "address": $substring(shipTo.street, 0, 100),
      "address2": shipTo.street2 ? $substring(shipTo.street2, 0, 50),
      "city": $substring(shipTo.city, 0, 30),
      "postCode": shipTo.postalCode,
      "county": shipTo.region ? $substring(shipTo.region, 0, 30),
      "countryCode": shipTo.countryCode
    },
    "shipmentMethodCode": $or($shipmentMethods, shipping.method, "STD"),
    "paymentMethodCode": $or($paymentMethods, payment.method, "OTHER"),
    "lines": [lines.{
      "lineNo": lineNumber * 10000,
      "itemNo": $must($items, "items", sku),
      "description": $substring(description, 0, 100),
      "quantity": quantity,
      "unitPrice": unitPrice,
      "lineAmount": lineTotal,
      "taxCode": $must($taxCodes, "taxCodes", $string(taxRate))
    }],
    "amounts": { "totalExclTax": totals.net, "totalTax": totals.tax, "totalInclTax": totals.gross },
    "invoiceDiscountAmount": $count(discounts) > 0 ? $round($sum(discounts.amount), 2),
    "discountCodes": $count(discounts) > 0 ? $substring($join(discounts.code, ", "), 0, 250)
  }
)`;

export function jsonataCanonicalToErp(): (order: unknown) => Promise<unknown> {
  const expression = jsonata(EXPRESSION);
  const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
  const bindings = {
    items: csvObject('sku-items.csv', 'sku', 'itemNo'),
    taxCodes: csvObject('tax-codes.csv', 'rate', 'taxCode'),
    webCustomers: csvObject('web-customers.csv', 'countryCode', 'customerNo'),
    shipmentMethods: { standard: 'STD', express: 'EXP', pickup: 'PICKUP' },
    paymentMethods: { card: 'CARD', paypal: 'PAYPAL', invoice: 'INVOICE' },
    // JSONata's own date pictures take fixed offsets only, not a zone with summer time.
    parisDay: (at: string) => parisDay.format(Date.parse(at)),
  };
  return async (order) => (await expression.evaluate(order, bindings)) as unknown;
}
