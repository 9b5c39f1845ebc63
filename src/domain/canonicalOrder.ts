import { z } from 'zod';

/** Version of the canonical order contract; bump on any breaking change. */
export const CANONICAL_ORDER_VERSION = 1;

const address = z.object({
  name: z.string().min(1),
  company: z.string().optional(),
  street: z.string().min(1),
  street2: z.string().optional(),
  city: z.string().min(1),
  postalCode: z.string().min(1),
  region: z.string().optional(),
  countryCode: z.string().length(2),
});

/** The hub's own order: ECP and ERP each map to and from it and never meet directly. */
export const canonicalOrderSchema = z.object({
  schemaVersion: z.literal(CANONICAL_ORDER_VERSION),
  orderId: z.string().min(1),
  orderNumber: z.string().min(1),
  orderVersion: z.number().int().positive(),
  placedAt: z.iso.datetime({ offset: true }),
  currency: z.string().length(3),
  customer: z.object({
    externalId: z.string().min(1),
    email: z.email(),
    givenName: z.string().min(1),
    familyName: z.string().min(1),
    phone: z.string().optional(),
    marketingConsent: z.boolean(),
  }),
  billTo: address,
  shipTo: address,
  lines: z
    .array(
      z.object({
        lineNumber: z.number().int().positive(),
        sku: z.string().min(1),
        description: z.string(),
        quantity: z.number().positive(),
        unitPrice: z.number(),
        lineTotal: z.number(),
        taxRate: z.number().min(0).max(1),
      }),
    )
    .min(1),
  shipping: z.object({ method: z.string().min(1), amount: z.number() }),
  /** The shop location the order is served from, in the shop's words (`main`, `east`). */
  fulfillmentLocation: z.string().min(1).optional(),
  totals: z.object({ net: z.number(), tax: z.number(), gross: z.number() }),
  payment: z.object({ method: z.string().min(1), status: z.string().min(1), reference: z.string().optional() }),
  /** Discounts already taken off the prices and totals, kept for the ERP's records. */
  discounts: z
    .array(z.object({ code: z.string().min(1), amount: z.number().nonnegative(), appliesTo: z.enum(['order', 'shipping']) }))
    .default([]),
});

export type CanonicalOrder = z.infer<typeof canonicalOrderSchema>;
