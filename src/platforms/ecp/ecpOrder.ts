import { z } from 'zod';

const money = z.number().nonnegative();

export const ecpAddressSchema = z.object({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  company: z.string().optional(),
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string().min(1),
  postalCode: z.string().min(1),
  region: z.string().optional(),
  country: z.string().length(2),
});

/** An order as the sandbox ECP's REST API returns it (`GET /orders/{id}`). */
export const ecpOrderSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  number: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  currency: z.string().length(3),
  customer: z.object({
    id: z.string().min(1),
    email: z.email(),
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    phone: z.string().optional(),
    acceptsMarketing: z.boolean(),
  }),
  billingAddress: ecpAddressSchema,
  shippingAddress: ecpAddressSchema,
  lineItems: z
    .array(
      z.object({
        id: z.string().min(1),
        sku: z.string().min(1),
        title: z.string().min(1),
        quantity: z.number().int().positive(),
        unitPrice: money,
        taxRate: z.number().min(0).max(1),
      }),
    )
    .min(1),
  shipping: z.object({ method: z.string().min(1), price: money }),
  /** The shop location the order is served from (its stock is taken there). */
  locationId: z.string().min(1).optional(),
  totals: z.object({ subtotal: money, shipping: money, tax: money, total: money }),
  payment: z.object({
    method: z.string().min(1),
    status: z.enum(['pending', 'authorized', 'paid']),
    transactionId: z.string().optional(),
  }),
  /** Discount codes applied to the order; prices and totals already include them. */
  discounts: z.array(z.object({ code: z.string().min(1), amount: money, kind: z.enum(['order', 'shipping']).default('order') })).optional(),
  note: z.string().optional(),
});

export type EcpOrder = z.infer<typeof ecpOrderSchema>;
