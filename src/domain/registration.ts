import { z } from 'zod';

/**
 * What the registration intake takes: the registrant, the codes and quantities they buy, the
 * currency, and the payment provider's token for their card. Nothing else: a field the intake does
 * not know (a card number, a CVC) is refused, never kept.
 */
export const registrationRequestSchema = z.strictObject({
  registrant: z.strictObject({
    givenName: z.string().trim().min(1).max(100),
    familyName: z.string().trim().min(1).max(100),
    email: z.email(),
    marketingConsent: z.boolean(),
  }),
  items: z
    .array(z.strictObject({ code: z.string().min(1).max(50), quantity: z.number().int().positive().max(100) }))
    .min(1)
    .max(50),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code, e.g. EUR'),
  /** From the payment provider's client-side SDK: stands for a card, can pay once. */
  paymentToken: z.string().min(1).max(200),
});

export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

/** One line of the price list. */
export interface PriceListEntry {
  code: string;
  description: string;
  /** In the currency's major unit, e.g. 45.00. */
  unitPrice: number;
  currency: string;
}

/** A registration's line, priced. */
export interface PricedLine {
  code: string;
  description: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** Amounts to a currency's minor unit (cents), as payment providers charge them. */
export const toMinor = (amount: number): number => Math.round(amount * 100);
export const fromMinor = (minor: number): number => minor / 100;

/** The lines of a request priced from the list; the problems (unknown code, another currency) by field. */
export function priceItems(
  request: RegistrationRequest,
  prices: ReadonlyMap<string, PriceListEntry>,
): { lines: PricedLine[]; problems: string[] } {
  const lines: PricedLine[] = [];
  const problems: string[] = [];
  request.items.forEach((item, index) => {
    const entry = prices.get(item.code);
    if (entry === undefined) return void problems.push(`items.${index}.code: no item '${item.code}' in the price list`);
    if (entry.currency !== request.currency)
      return void problems.push(`items.${index}.code: '${item.code}' is sold in ${entry.currency}, not ${request.currency}`);
    lines.push({
      code: entry.code,
      description: entry.description,
      quantity: item.quantity,
      unitPrice: entry.unitPrice,
      lineTotal: fromMinor(toMinor(entry.unitPrice) * item.quantity),
    });
  });
  return { lines, problems };
}
