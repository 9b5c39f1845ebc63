import { z } from 'zod';

/** Events the sandbox ERP reports about a sales order. */
export const ErpCallbackEvents = [
  'SalesOrder.Created',
  'Payment.Captured',
  'Payment.Failed',
  'Shipment.Prepared',
  'Shipment.Shipped',
  'Shipment.Delivered',
  'SalesOrder.Cancelled',
  'SalesOrder.Rejected',
] as const;

/** A status callback as the sandbox ERP posts it (signed; see erpCallback). */
export const erpCallbackSchema = z.object({
  callbackId: z.string().min(1),
  event: z.enum(ErpCallbackEvents),
  occurredAt: z.iso.datetime({ offset: true }),
  salesOrder: z.object({
    id: z.string().min(1),
    number: z.string().min(1),
    externalDocumentNumber: z.string().min(1),
  }),
  payment: z.object({ amount: z.number(), currencyCode: z.string().length(3), reference: z.string().optional() }).optional(),
  shipment: z
    .object({
      shippingAgentCode: z.string().min(1),
      packageTrackingNo: z.string().optional(),
    })
    .optional(),
  reason: z.object({ code: z.string().min(1), description: z.string() }).optional(),
});

export type ErpCallback = z.infer<typeof erpCallbackSchema>;
