import { z } from 'zod';
import { confirmationRequestSchema, type ConfirmationRequest } from '../domain/confirmation';

/** Who sends the confirmations, as templates may show it. */
export interface Shop {
  name: string;
  email: string;
}

/**
 * What a confirmation template can use: the confirmation request's fields at the top (customer,
 * lines, totals, …), the confirmation's id, and the shop. A template that names anything else is
 * refused when the templates are loaded.
 */
export const confirmationModelSchema = confirmationRequestSchema.extend({
  confirmationId: z.string(),
  shop: z.object({ name: z.string(), email: z.string() }),
});

export type ConfirmationModel = z.infer<typeof confirmationModelSchema>;

export function confirmationModel(confirmationId: string, request: ConfirmationRequest, shop: Shop): ConfirmationModel {
  return { ...request, confirmationId, shop };
}
