import { z } from 'zod';
import type { CanonicalOrder } from './canonicalOrder';

/** What is confirmed to a customer: an order placed in the ECP, or a registration taken by the payment intake. */
export const ConfirmationKinds = { ORDER: 'order', REGISTRATION: 'registration' } as const;
export type ConfirmationKind = (typeof ConfirmationKinds)[keyof typeof ConfirmationKinds];

/**
 * What the confirmation orchestration needs to confirm one order or registration: the customer,
 * what they bought and what it cost. Never card data: the intake keeps only the provider's
 * payment reference.
 */
export const confirmationRequestSchema = z.object({
  kind: z.enum([ConfirmationKinds.ORDER, ConfirmationKinds.REGISTRATION]),
  /** The ECP order id, or the registration id. */
  subjectId: z.string().min(1).max(100),
  /** What the customer knows it by: the order number, or the registration number. */
  reference: z.string().min(1),
  erpOrderId: z.string().min(1).optional(),
  placedAt: z.iso.datetime({ offset: true }),
  currency: z.string().length(3),
  customer: z.object({
    email: z.email(),
    givenName: z.string().min(1),
    familyName: z.string().min(1),
    marketingConsent: z.boolean(),
  }),
  lines: z
    .array(
      z.object({
        code: z.string().min(1),
        description: z.string(),
        quantity: z.number().positive(),
        unitPrice: z.number(),
        lineTotal: z.number(),
      }),
    )
    .min(1),
  shipping: z.object({ method: z.string().min(1), amount: z.number() }).optional(),
  totals: z.object({ net: z.number().optional(), tax: z.number().optional(), gross: z.number() }),
  /** How it was paid: the method, and the payment provider's reference (never a card number or token). */
  payment: z.object({ method: z.string().min(1), reference: z.string().optional() }).optional(),
});

export type ConfirmationRequest = z.infer<typeof confirmationRequestSchema>;

/** The three branches of a confirmation, run side by side. */
export const ConfirmationBranches = { SAVE: 'save', EMAIL: 'email', MAILING_LIST: 'mailingList' } as const;
export type ConfirmationBranch = (typeof ConfirmationBranches)[keyof typeof ConfirmationBranches];
export const ALL_BRANCHES: readonly ConfirmationBranch[] = Object.values(ConfirmationBranches);

/** The orchestration instance (and the confirmation's id everywhere): one per order or registration. */
export function confirmationIdOf(kind: ConfirmationKind, subjectId: string): string {
  return `confirmation-${kind}-${subjectId}`;
}

/** What one branch did. A branch that failed for good says so here; it never throws past the orchestration. */
export type BranchOutcome =
  | { branch: 'save'; outcome: 'saved'; at: string }
  | { branch: 'email'; outcome: 'emailed'; messageId: string; at: string; sentBefore: boolean }
  | { branch: 'mailingList'; outcome: 'subscribed'; status: string }
  | { branch: 'mailingList'; outcome: 'skipped'; reason: string }
  | { branch: 'mailingList'; outcome: 'refused'; reason: string }
  | { branch: ConfirmationBranch; outcome: 'failed'; code: string; reason: string };

/** A branch's one-line account, for the custom status, the journey and the CLI. */
export function describeOutcome(outcome: BranchOutcome): string {
  switch (outcome.outcome) {
    case 'saved':
      return `saved at ${outcome.at}`;
    case 'emailed':
      return `${outcome.sentBefore ? 'already emailed' : 'emailed'} (SendGrid message ${outcome.messageId})`;
    case 'subscribed':
      return `subscribed (${outcome.status})`;
    case 'skipped':
      return `skipped: ${outcome.reason}`;
    case 'refused':
      return `refused by Mailchimp: ${outcome.reason}`;
    case 'failed':
      return `failed for good: ${outcome.code}: ${outcome.reason}`;
  }
}

/** The confirmation request for an order the ERP has accepted. */
export function orderConfirmationRequest(order: CanonicalOrder, erpOrderId: string): ConfirmationRequest {
  return {
    kind: ConfirmationKinds.ORDER,
    subjectId: order.orderId,
    reference: order.orderNumber,
    erpOrderId,
    placedAt: order.placedAt,
    currency: order.currency,
    customer: {
      email: order.customer.email,
      givenName: order.customer.givenName,
      familyName: order.customer.familyName,
      marketingConsent: order.customer.marketingConsent,
    },
    lines: order.lines.map((line) => ({
      code: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: line.lineTotal,
    })),
    shipping: order.shipping,
    totals: order.totals,
    payment: { method: order.payment.method, ...(order.payment.reference === undefined ? {} : { reference: order.payment.reference }) },
  };
}
