/**
 * The sandboxes' seeded catalog: the ECP sells SKUs, the ERP knows the same products by its own
 * item numbers; mappings/lookups/sku-items.csv cross-references them.
 */
export const CATALOG = [
  { sku: 'TSHIRT-BLK-M', itemNo: '10010', title: 'Organic T-shirt, black, M', price: 24.9, taxRate: 0.2 },
  { sku: 'TSHIRT-WHT-L', itemNo: '10011', title: 'Organic T-shirt, white, L', price: 24.9, taxRate: 0.2 },
  { sku: 'HOODIE-GRY-M', itemNo: '10020', title: 'Hoodie, grey, M', price: 59.0, taxRate: 0.2 },
  { sku: 'MUG-LOGO', itemNo: '10030', title: 'Enamel mug with logo', price: 12.5, taxRate: 0.2 },
  { sku: 'BOOK-GUIDE', itemNo: '10040', title: 'Field guide (paperback)', price: 18.0, taxRate: 0.055 },
  { sku: 'SOCKS-3PK', itemNo: '10050', title: 'Wool socks, 3 pairs', price: 15.0, taxRate: 0.2 },
  { sku: 'CAP-NAVY', itemNo: '10060', title: 'Cap, navy', price: 19.9, taxRate: 0.2 },
  { sku: 'GIFT-CARD-25', itemNo: '10070', title: 'Gift card 25', price: 25.0, taxRate: 0 },
] as const;

/**
 * A product just launched in both systems but not yet in the cross-reference: an order for it
 * parks with MAPPING.UNKNOWN_SKU until a row is added to sku-items.csv and the order replayed.
 * Random orders never pick it.
 */
export const NEW_PRODUCT = { sku: 'POSTER-A2', itemNo: '10090', title: 'Poster, A2', price: 14.0, taxRate: 0.2 } as const;

/** A product of a generated catalog: an ECP SKU and its ERP item number. */
export interface CatalogProduct {
  sku: string;
  itemNo: string;
}

/**
 * `count` more products, for a catalog of the size real shops have (benchmarks, paging tests):
 * SKU `GEN-000001` is ERP item `5000001`, and so on. Their rows of sku-items.csv are
 * `sku,itemNo` lines of the same. Random orders never pick them.
 */
export function generatedProducts(count: number): CatalogProduct[] {
  return Array.from({ length: count }, (_, i) => ({ sku: `GEN-${String(i + 1).padStart(6, '0')}`, itemNo: String(5_000_001 + i) }));
}

/** Everything the ECP sells. */
export const PRODUCTS = [...CATALOG, NEW_PRODUCT] as const;

export const CUSTOMERS = [
  {
    id: 'C-1001',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    acceptsMarketing: true,
    country: 'GB',
    city: 'London',
    postalCode: 'SW1A 1AA',
    line1: '12 Baker Street',
  },
  {
    id: 'C-1002',
    email: 'grace@example.com',
    firstName: 'Grace',
    lastName: 'Hopper',
    acceptsMarketing: false,
    country: 'US',
    city: 'Arlington',
    postalCode: '22201',
    line1: '1 Navy Way',
    region: 'VA',
  },
  {
    id: 'C-1003',
    email: 'marie@example.com',
    firstName: 'Marie',
    lastName: 'Curie',
    acceptsMarketing: true,
    country: 'FR',
    city: 'Paris',
    postalCode: '75005',
    line1: '11 rue Pierre et Marie Curie',
  },
  {
    id: 'C-1004',
    email: 'alan@example.com',
    firstName: 'Alan',
    lastName: 'Turing',
    acceptsMarketing: false,
    country: 'GB',
    city: 'Manchester',
    postalCode: 'M13 9PL',
    line1: 'Oxford Road',
  },
  {
    id: 'C-1005',
    email: 'hedy@example.com',
    firstName: 'Hedy',
    lastName: 'Lamarr',
    acceptsMarketing: true,
    country: 'AT',
    city: 'Wien',
    postalCode: '1010',
    line1: 'Stephansplatz 1',
  },
  {
    id: 'C-1006',
    email: 'emmy@example.com',
    firstName: 'Emmy',
    lastName: 'Noether',
    acceptsMarketing: true,
    country: 'DE',
    city: 'Göttingen',
    postalCode: '37073',
    line1: 'Bunsenstraße 3',
  },
  {
    id: 'C-1007',
    email: 'rosalind@example.com',
    firstName: 'Rosalind',
    lastName: 'Franklin',
    acceptsMarketing: true,
    country: 'GB',
    city: 'Cambridge',
    postalCode: 'CB2 1TN',
    line1: 'Free School Lane',
  },
  {
    id: 'C-1008',
    email: 'tim@example.com',
    firstName: 'Tim',
    lastName: 'Berners-Lee',
    acceptsMarketing: false,
    country: 'CH',
    city: 'Genève',
    postalCode: '1211',
    line1: 'Esplanade des Particules 1',
  },
] as const;

/**
 * The Mailchimp audience's past: Hedy unsubscribed long ago (her address is in compliance state),
 * Emmy asked to be forgotten. Both still tick the shop's marketing box; Mailchimp refuses both.
 */
export const MAILING_LIST_HISTORY = [
  { email: 'hedy@example.com', state: 'compliance' },
  { email: 'emmy@example.com', state: 'forgotten' },
] as const;
