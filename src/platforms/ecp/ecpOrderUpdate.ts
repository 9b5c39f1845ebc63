import { z } from 'zod';

/** A change the hub asks the sandbox ECP to make to an order (`PATCH /orders/{id}`). */
export const ecpOrderUpdateSchema = z.object({
  orderId: z.string().min(1),
  /** The hub's update id: the ECP applies an update once, and names the hub as its author. */
  updateId: z.string().min(1),
  erpReference: z.string().optional(),
  fulfillmentStatus: z.enum(['unfulfilled', 'processing', 'shipped', 'delivered', 'cancelled']).optional(),
  financialStatus: z.enum(['authorized', 'paid', 'payment_failed', 'voided']).optional(),
  tracking: z.object({ company: z.string().min(1), number: z.string().optional(), url: z.url().optional() }).optional(),
  cancelReason: z.string().optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type EcpOrderUpdate = z.infer<typeof ecpOrderUpdateSchema>;
