/** A confirmation mail, rendered from its template. */
export interface ConfirmationMail {
  to: string;
  toName: string;
  subject: string;
  html: string;
  text: string;
  /** What the mail is about, for the provider's reports: `order-confirmation`. */
  category: string;
  /** Carried on the mail (`custom_args.confirmationId`) and searchable in the provider's activity. */
  confirmationId: string;
}

/**
 * Sends confirmation mails. A failure is a HubError: transient when the provider answered that it
 * did not take the mail (429, 5xx) or could not be reached; `ambiguous` when the mail may have been
 * taken although no answer came back (a timeout); permanent when it refused the mail (other 4xx).
 */
export interface ConfirmationMailerPort {
  sendConfirmation(mail: ConfirmationMail): Promise<{ messageId: string }>;
  /**
   * Whether the provider sent a mail carrying this confirmation id: its message id, undefined when
   * it sent none, 'unknown' when it cannot say (no activity search on the account).
   */
  findSent(confirmationId: string): Promise<{ messageId: string } | undefined | 'unknown'>;
}
