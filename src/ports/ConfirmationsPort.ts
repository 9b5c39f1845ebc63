import type { ConfirmationRequest } from '../domain/confirmation';

/** Where a confirmation mail stands: claimed by an attempt that is sending it, sent, or known not to be sent. */
export interface EmailRecord {
  state: 'sending' | 'sent' | 'notSent';
  /** When the attempt now or last sending it began. */
  claimedAt: string;
  messageId?: string;
  sentAt?: string;
  attempts: number;
}

/** One confirmation as the `confirmations` table holds it: each branch writes its own columns. */
export interface ConfirmationRecord {
  confirmationId: string;
  /** What was confirmed and to whom (the save branch). */
  request?: ConfirmationRequest;
  savedAt?: string;
  email?: EmailRecord;
  mailingList?: { outcome: string; detail: string; at: string };
  /** How the orchestration ended: every branch done, or some parked for an operator. */
  conclusion?: { status: 'confirmed' | 'needsAttention'; at: string; parked: string[] };
}

export interface StoredConfirmation {
  record: ConfirmationRecord;
  /** The version of the mail's record, what `claimEmail` is conditional on; none while no attempt has claimed it. */
  etag?: string;
}

/** The `confirmations` table: what was confirmed, to whom, what was sent, when. */
export interface ConfirmationsPort {
  read(confirmationId: string): Promise<StoredConfirmation | undefined>;
  /** Writes what is confirmed and to whom (an upsert: writing it again changes nothing else). */
  save(confirmationId: string, request: ConfirmationRequest, at: string): Promise<void>;
  /** Takes the mail for one attempt, only if its record is still as read (`etag`; none when there was none): false when another attempt changed it. */
  claimEmail(confirmationId: string, email: EmailRecord, etag: string | undefined): Promise<boolean>;
  recordEmail(confirmationId: string, email: EmailRecord): Promise<void>;
  recordMailingList(confirmationId: string, outcome: NonNullable<ConfirmationRecord['mailingList']>): Promise<void>;
  recordConclusion(confirmationId: string, conclusion: NonNullable<ConfirmationRecord['conclusion']>): Promise<void>;
}
