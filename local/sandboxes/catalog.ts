/** The sandboxes' seeded catalog: the ECP sells these SKUs, the ERP knows them as items. */
export const CATALOG = [
  { sku: 'TSHIRT-BLK-M', title: 'Organic T-shirt, black, M', price: 24.9, taxRate: 0.2 },
  { sku: 'TSHIRT-WHT-L', title: 'Organic T-shirt, white, L', price: 24.9, taxRate: 0.2 },
  { sku: 'HOODIE-GRY-M', title: 'Hoodie, grey, M', price: 59.0, taxRate: 0.2 },
  { sku: 'MUG-LOGO', title: 'Enamel mug with logo', price: 12.5, taxRate: 0.2 },
  { sku: 'BOOK-GUIDE', title: 'Field guide (paperback)', price: 18.0, taxRate: 0.055 },
  { sku: 'SOCKS-3PK', title: 'Wool socks, 3 pairs', price: 15.0, taxRate: 0.2 },
  { sku: 'CAP-NAVY', title: 'Cap, navy', price: 19.9, taxRate: 0.2 },
  { sku: 'GIFT-CARD-25', title: 'Gift card 25', price: 25.0, taxRate: 0 },
] as const;

export const CUSTOMERS = [
  { id: 'C-1001', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', acceptsMarketing: true, country: 'GB', city: 'London', postalCode: 'SW1A 1AA', line1: '12 Baker Street' },
  { id: 'C-1002', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', acceptsMarketing: false, country: 'US', city: 'Arlington', postalCode: '22201', line1: '1 Navy Way', region: 'VA' },
  { id: 'C-1003', email: 'marie@example.com', firstName: 'Marie', lastName: 'Curie', acceptsMarketing: true, country: 'FR', city: 'Paris', postalCode: '75005', line1: '11 rue Pierre et Marie Curie' },
  { id: 'C-1004', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', acceptsMarketing: false, country: 'GB', city: 'Manchester', postalCode: 'M13 9PL', line1: 'Oxford Road' },
] as const;
