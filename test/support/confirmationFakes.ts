import type { ConfirmationRequest } from '../../src/domain/confirmation';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { HubError } from '../../src/domain/HubError';
import type { ConfirmationMail, ConfirmationMailerPort } from '../../src/ports/ConfirmationMailerPort';
import type { ConfirmationRecord, ConfirmationsPort, EmailRecord, StoredConfirmation } from '../../src/ports/ConfirmationsPort';
import type { ListMember, MailingListAnswer, MailingListPort } from '../../src/ports/MailingListPort';

/** The `confirmations` table in memory, with a version of the mail's record as the table's etag of its row. */
export class InMemoryConfirmations implements ConfirmationsPort {
  readonly rows = new Map<string, { record: ConfirmationRecord; emailVersion?: number }>();

  read(confirmationId: string): Promise<StoredConfirmation | undefined> {
    const row = this.rows.get(confirmationId);
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      record: structuredClone(row.record),
      ...(row.emailVersion === undefined ? {} : { etag: String(row.emailVersion) }),
    });
  }

  private merge(confirmationId: string, fields: Partial<ConfirmationRecord>): void {
    const row = this.rows.get(confirmationId);
    const emailVersion = fields.email === undefined ? row?.emailVersion : (row?.emailVersion ?? 0) + 1;
    this.rows.set(confirmationId, {
      record: { ...(row?.record ?? { confirmationId }), ...fields },
      ...(emailVersion === undefined ? {} : { emailVersion }),
    });
  }

  save(confirmationId: string, request: ConfirmationRequest, at: string): Promise<void> {
    this.merge(confirmationId, { request, savedAt: at });
    return Promise.resolve();
  }

  claimEmail(confirmationId: string, email: EmailRecord, etag: string | undefined): Promise<boolean> {
    const version = this.rows.get(confirmationId)?.emailVersion;
    if ((version === undefined) !== (etag === undefined) || (version !== undefined && String(version) !== etag))
      return Promise.resolve(false);
    this.merge(confirmationId, { email });
    return Promise.resolve(true);
  }

  recordEmail(confirmationId: string, email: EmailRecord): Promise<void> {
    this.merge(confirmationId, { email });
    return Promise.resolve();
  }

  recordMailingList(confirmationId: string, mailingList: NonNullable<ConfirmationRecord['mailingList']>): Promise<void> {
    this.merge(confirmationId, { mailingList });
    return Promise.resolve();
  }

  recordConclusion(confirmationId: string, conclusion: NonNullable<ConfirmationRecord['conclusion']>): Promise<void> {
    this.merge(confirmationId, { conclusion });
    return Promise.resolve();
  }
}

/** What the fake SendGrid does with the next send: take it, refuse it, or time out after taking it. */
export type SendBehaviour = 'accept' | 'fail503' | 'reject400' | 'timeoutAfterSending' | 'timeoutBeforeSending';

/** SendGrid in memory: the mails it took, and what its Email Activity finds. */
export class FakeConfirmationMailer implements ConfirmationMailerPort {
  readonly sent: (ConfirmationMail & { messageId: string })[] = [];
  readonly behaviours: SendBehaviour[] = [];
  /** What the Email Activity search answers when the account has none. */
  activitySearch = true;

  sendConfirmation(mail: ConfirmationMail): Promise<{ messageId: string }> {
    const behaviour = this.behaviours.shift() ?? 'accept';
    const messageId = `sg-${this.sent.length + 1}`;
    if (behaviour === 'accept' || behaviour === 'timeoutAfterSending') this.sent.push({ ...mail, messageId });
    if (behaviour === 'accept') return Promise.resolve({ messageId });
    if (behaviour === 'fail503') return Promise.reject(new HubError(ErrorCodes.MAIL_FAILED, 'SendGrid answered 503', { transient: true }));
    if (behaviour === 'reject400')
      return Promise.reject(new HubError(ErrorCodes.MAIL_REJECTED, 'SendGrid answered 400', { transient: false }));
    return Promise.reject(new HubError(ErrorCodes.MAIL_FAILED, 'no answer within 10000 ms', { transient: true, ambiguous: true }));
  }

  findSent(confirmationId: string): Promise<{ messageId: string } | undefined | 'unknown'> {
    if (!this.activitySearch) return Promise.resolve('unknown');
    const found = this.sent.find((m) => m.confirmationId === confirmationId);
    return Promise.resolve(found === undefined ? undefined : { messageId: found.messageId });
  }
}

/** Mailchimp in memory: its members, and addresses it refuses. */
export class FakeMailingList implements MailingListPort {
  readonly members = new Map<string, ListMember & { upserts: number }>();
  readonly inComplianceState = new Set<string>();
  failures: HubError[] = [];

  subscribe(member: ListMember): Promise<MailingListAnswer> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    if (this.inComplianceState.has(member.email))
      return Promise.resolve({ outcome: 'refused', reason: 'Member In Compliance State: unsubscribed' });
    const key = member.email.toLowerCase();
    this.members.set(key, { ...member, upserts: (this.members.get(key)?.upserts ?? 0) + 1 });
    return Promise.resolve({ outcome: 'subscribed', status: 'subscribed' });
  }
}
