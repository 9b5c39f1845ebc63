import { z } from 'zod';

/** Version of the canonical order update contract; bump on any breaking change. */
export const CANONICAL_UPDATE_VERSION = 1;

/** What happened to an order in the ERP, in the hub's words. */
export const UpdateKinds = {
  ERP_ORDER_ASSIGNED: 'erpOrderAssigned',
  PAYMENT_CAPTURED: 'paymentCaptured',
  PAYMENT_FAILED: 'paymentFailed',
  SHIPMENT_PREPARED: 'shipmentPrepared',
  SHIPPED: 'shipped',
  DELIVERED: 'delivered',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
} as const;

export type UpdateKind = (typeof UpdateKinds)[keyof typeof UpdateKinds];

/** A change to an order that the ERP reports, whatever ERP it is: applied to the ECP once. */
export const canonicalUpdateSchema = z.object({
  schemaVersion: z.literal(CANONICAL_UPDATE_VERSION),
  /** Unique per update: the ERP callback's id. */
  updateId: z.string().min(1),
  /** The ECP order id. */
  orderId: z.string().min(1),
  kind: z.enum(Object.values(UpdateKinds) as [UpdateKind, ...UpdateKind[]]),
  occurredAt: z.iso.datetime({ offset: true }),
  erpOrderId: z.string().min(1).optional(),
  erpOrderNumber: z.string().min(1).optional(),
  payment: z.object({ amount: z.number(), currency: z.string().length(3), reference: z.string().optional() }).optional(),
  shipment: z
    .object({
      carrier: z.string().min(1),
      trackingNumber: z.string().min(1).optional(),
      trackingUrl: z.url().optional(),
    })
    .optional(),
  reason: z.object({ code: z.string().min(1), text: z.string() }).optional(),
});

export type CanonicalUpdate = z.infer<typeof canonicalUpdateSchema>;
