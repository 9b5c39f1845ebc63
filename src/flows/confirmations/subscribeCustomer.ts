import { ConfirmationBranches, describeOutcome, type BranchOutcome } from '../../domain/confirmation';
import type { ConfirmationsPort } from '../../ports/ConfirmationsPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { MailingListPort } from '../../ports/MailingListPort';
import type { OrderJourney } from '../shared/JourneyRecorder';
import { branchStep, runBranch, type BranchInput } from './confirmationBranches';

export interface SubscribeCustomerDeps {
  confirmations: ConfirmationsPort;
  mailingList: MailingListPort;
  now: () => Date;
}

/**
 * The mailing-list branch: a customer who consented is added to the Mailchimp audience (an upsert:
 * running it again changes nothing); one who did not is skipped. Mailchimp refusing an address in
 * compliance state, or forgotten, is an answer, recorded as such and never retried.
 */
export async function subscribeCustomer(input: BranchInput, deps: SubscribeCustomerDeps, journey: OrderJourney): Promise<BranchOutcome> {
  return await runBranch(ConfirmationBranches.MAILING_LIST, journey, async () => {
    const { customer } = input.request;
    let outcome: BranchOutcome;
    if (!customer.marketingConsent) {
      outcome = { branch: 'mailingList', outcome: 'skipped', reason: 'no marketing consent' };
    } else {
      const answer = await deps.mailingList.subscribe({
        email: customer.email,
        givenName: customer.givenName,
        familyName: customer.familyName,
      });
      outcome =
        answer.outcome === 'subscribed'
          ? { branch: 'mailingList', outcome: 'subscribed', status: answer.status }
          : { branch: 'mailingList', outcome: 'refused', reason: answer.reason };
    }
    const detail = describeOutcome(outcome);
    await deps.confirmations.recordMailingList(input.confirmationId, { outcome: outcome.outcome, detail, at: deps.now().toISOString() });
    await journey({ step: branchStep('mailingList'), outcome: JourneyOutcomes.OK, detail });
    return outcome;
  });
}
