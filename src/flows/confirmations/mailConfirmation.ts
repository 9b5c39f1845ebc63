import { ConfirmationBranches, describeOutcome, type BranchOutcome } from '../../domain/confirmation';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { ConfirmationMailerPort } from '../../ports/ConfirmationMailerPort';
import type { ConfirmationsPort, EmailRecord } from '../../ports/ConfirmationsPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import { confirmationModel, type Shop } from '../../templates/confirmationModel';
import type { CompiledTemplates } from '../../templates/loadTemplates';
import type { OrderJourney } from '../shared/JourneyRecorder';
import { branchStep, runBranch, type BranchInput } from './confirmationBranches';

export interface MailConfirmationDeps {
  confirmations: ConfirmationsPort;
  mailer: ConfirmationMailerPort;
  templates: CompiledTemplates;
  shop: Shop;
  /** How long a send that may have reached SendGrid waits before SendGrid is asked whether it did (CONFIRMATION_MAIL_LEASE_MS). */
  leaseMs: number;
  now: () => Date;
}

/** The email branch's answer: done, or wait until an earlier attempt's send can be checked, then ask again. */
export type EmailOutcome = BranchOutcome | { branch: 'email'; outcome: 'waiting'; until: string; reason: string };

/** Claims lost to another writer of the row (another branch saving, another attempt) before giving up for now. */
const CLAIM_TRIES = 5;

/**
 * The email branch. SendGrid has no idempotency key, so the confirmations table records the send:
 * an attempt claims the mail (`sending`) before it sends and records `sent` with SendGrid's message
 * id after. A mail already sent is not sent again (a replay, a redelivery, a re-run). A claim left
 * `sending` (a timeout, a crash) may or may not have reached SendGrid: the branch waits until the
 * claim is older than the lease, then asks SendGrid's Email Activity for the confirmation id and
 * sends only if SendGrid has none. Where SendGrid cannot say, the branch is parked (MAIL.UNCERTAIN)
 * for an operator, rather than risk a second mail.
 */
export async function mailConfirmation(input: BranchInput, deps: MailConfirmationDeps, journey: OrderJourney): Promise<EmailOutcome> {
  const { confirmationId, request } = input;
  return await runBranch(ConfirmationBranches.EMAIL, journey, async () => {
    for (let tries = 0; tries < CLAIM_TRIES; tries++) {
      const stored = await deps.confirmations.read(confirmationId);
      const email = stored?.record.email;
      const now = deps.now();
      if (email?.state === 'sent') return await emailed(email.messageId ?? '', email.sentAt ?? email.claimedAt, true);
      if (email?.state === 'sending') {
        const until = Date.parse(email.claimedAt) + deps.leaseMs;
        if (now.getTime() < until) {
          const reason = `an attempt began sending it at ${email.claimedAt} and may have sent it: checked with SendGrid after ${new Date(until).toISOString()}`;
          await journey({ step: branchStep('email'), outcome: JourneyOutcomes.RETRY, code: ErrorCodes.MAIL_IN_PROGRESS, detail: reason });
          return { branch: 'email', outcome: 'waiting', until: new Date(until).toISOString(), reason };
        }
        const found = await deps.mailer.findSent(confirmationId);
        if (found === 'unknown')
          throw new HubError(
            ErrorCodes.MAIL_UNCERTAIN,
            `an attempt began sending the mail at ${email.claimedAt} without learning whether SendGrid took it, and SendGrid's Email Activity cannot be searched: look for confirmationId ${confirmationId} in SendGrid, then re-run the branch only if it is not there`,
            { transient: false },
          );
        if (found !== undefined) {
          const sentAt = now.toISOString();
          await deps.confirmations.recordEmail(confirmationId, { ...email, state: 'sent', messageId: found.messageId, sentAt });
          return await emailed(found.messageId, sentAt, true);
        }
      }
      const mail = deps.templates.render(`${request.kind}-confirmation`, confirmationModel(confirmationId, request, deps.shop));
      const claim: EmailRecord = { state: 'sending', claimedAt: now.toISOString(), attempts: (email?.attempts ?? 0) + 1 };
      if (!(await deps.confirmations.claimEmail(confirmationId, claim, stored?.etag))) continue; // the row changed meanwhile: read again
      try {
        const { messageId } = await deps.mailer.sendConfirmation({
          to: request.customer.email,
          toName: `${request.customer.givenName} ${request.customer.familyName}`,
          ...mail,
          category: `${request.kind}-confirmation`,
          confirmationId,
        });
        const sentAt = deps.now().toISOString();
        await deps.confirmations.recordEmail(confirmationId, { ...claim, state: 'sent', messageId, sentAt });
        return await emailed(messageId, sentAt, false);
      } catch (error) {
        // SendGrid said it did not take the mail: the next attempt may send at once. Otherwise the claim stays, to be checked.
        if (HubError.isHubError(error) && !error.ambiguous)
          await deps.confirmations.recordEmail(confirmationId, { ...claim, state: 'notSent' });
        throw error;
      }
    }
    throw new HubError(ErrorCodes.MAIL_IN_PROGRESS, `the confirmation row kept changing while the mail was being claimed`, {
      transient: true,
    });
  });

  async function emailed(messageId: string, at: string, sentBefore: boolean): Promise<BranchOutcome> {
    const outcome: BranchOutcome = { branch: 'email', outcome: 'emailed', messageId, at, sentBefore };
    await journey({
      step: branchStep('email'),
      outcome: sentBefore ? JourneyOutcomes.DUPLICATE : JourneyOutcomes.OK,
      detail: describeOutcome(outcome),
    });
    return outcome;
  }
}
