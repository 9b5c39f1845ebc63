import type { EcpOrder } from '../../src/platforms/ecp/ecpOrder';

/** A valid ECP order; override any field. */
export function ecpOrderFactory(overrides: Partial<EcpOrder> = {}): EcpOrder {
  const address = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    line1: '12 Baker Street',
    city: 'London',
    postalCode: 'SW1A 1AA',
    country: 'GB',
  };
  return {
    id: '10001',
    version: 1,
    number: '#10001',
    createdAt: '2026-11-23T09:30:00Z',
    updatedAt: '2026-11-23T09:30:00Z',
    currency: 'EUR',
    customer: { id: 'C-1001', email: 'Ada@Example.com', firstName: 'Ada', lastName: 'Lovelace', acceptsMarketing: true },
    billingAddress: address,
    shippingAddress: address,
    lineItems: [
      { id: 'L1', sku: 'MUG-LOGO', title: 'Enamel mug with logo', quantity: 2, unitPrice: 12.5, taxRate: 0.2 },
      { id: 'L2', sku: 'BOOK-GUIDE', title: 'Field guide (paperback)', quantity: 1, unitPrice: 18, taxRate: 0.055 },
    ],
    shipping: { method: 'express', price: 9.9 },
    totals: { subtotal: 43, shipping: 9.9, tax: 5.1, total: 52.9 },
    payment: { method: 'card', status: 'authorized', transactionId: 'pi_123' },
    ...overrides,
  };
}
