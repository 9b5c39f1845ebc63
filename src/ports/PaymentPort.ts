/** A charge to make: authorize and capture at once. */
export interface ChargeRequest {
  /** In the currency's minor unit (cents). */
  amountMinor: number;
  currency: string;
  /** The provider's token for the card (single use). */
  token: string;
  /** The same key for every attempt at one charge: the provider charges once and answers each the same. */
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
}

export type ChargeAnswer = { outcome: 'charged'; chargeId: string } | { outcome: 'declined'; code: string; reason: string };

/**
 * The payment provider. A failure is a HubError: transient when the provider is down, throttles or
 * does not answer (a retry with the same idempotency key is safe), permanent when it refuses the
 * request (a token that is unknown or used, a wrong key).
 */
export interface PaymentPort {
  charge(request: ChargeRequest): Promise<ChargeAnswer>;
}
