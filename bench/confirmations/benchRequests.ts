import { CUSTOMERS } from '../../local/sandboxes/catalog';
import type { ConfirmationRequest } from '../../src/domain/confirmation';

/** The n-th confirmation request of a run: a two-line order of one of the seeded customers (consent as they gave it). */
export function benchRequest(run: string, n: number): ConfirmationRequest {
  const customer = CUSTOMERS[n % CUSTOMERS.length]!;
  return {
    kind: 'order',
    subjectId: `bench-${run}-${n}`,
    reference: `#B${n}`,
    erpOrderId: `SO-B${n}`,
    placedAt: new Date().toISOString(),
    currency: 'EUR',
    customer: {
      email: customer.email,
      givenName: customer.firstName,
      familyName: customer.lastName,
      marketingConsent: customer.acceptsMarketing,
    },
    lines: [
      { code: 'MUG-LOGO', description: 'Enamel mug with logo', quantity: 2, unitPrice: 12.5, lineTotal: 25 },
      { code: 'CAP-NAVY', description: 'Cap, navy', quantity: 1, unitPrice: 19.9, lineTotal: 19.9 },
    ],
    shipping: { method: 'standard', amount: 4.9 },
    totals: { net: 41.5, tax: 8.3, gross: 49.8 },
  };
}
