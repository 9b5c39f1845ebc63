/** Someone to add to the marketing list, having consented. */
export interface ListMember {
  email: string;
  givenName: string;
  familyName: string;
}

/** Mailchimp's answer: added or updated (with the member's status), or refused for a reason that no retry changes. */
export type MailingListAnswer = { outcome: 'subscribed'; status: string } | { outcome: 'refused'; reason: string };

/**
 * The marketing list. Adding is an upsert: adding someone twice changes nothing. A failure is a
 * HubError, transient (429, 5xx, timeout) or permanent (a key or list that is wrong).
 */
export interface MailingListPort {
  subscribe(member: ListMember): Promise<MailingListAnswer>;
}
