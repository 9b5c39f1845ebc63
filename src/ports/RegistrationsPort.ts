import type { PricedLine } from '../domain/registration';

/** One registration as the intake keeps it: who, what, how much, how far it got. Never card data or the token. */
export interface RegistrationRecord {
  registrationId: string;
  /** A hash of the request, so that a repeated key with another request is told apart. */
  fingerprint: string;
  state: 'charging' | 'declined' | 'charged' | 'queued';
  registrant: { givenName: string; familyName: string; email: string; marketingConsent: boolean };
  lines: PricedLine[];
  currency: string;
  amountMinor: number;
  chargeId?: string;
  declined?: { code: string; reason: string };
  createdAt: string;
  updatedAt: string;
}

/** The `registrations` table. */
export interface RegistrationsPort {
  /** Writes a new registration; when one exists under the id, answers it instead. */
  begin(record: RegistrationRecord): Promise<{ created: true } | { created: false; existing: RegistrationRecord }>;
  update(record: RegistrationRecord): Promise<void>;
}
