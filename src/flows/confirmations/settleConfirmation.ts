import {
  ConfirmationKinds,
  describeOutcome,
  type BranchOutcome,
  type ConfirmationBranch,
  type ConfirmationRequest,
} from '../../domain/confirmation';
import { lifecycleEvent, LifecycleEventTypes } from '../../domain/lifecycleEvents';
import type { ConfirmationsPort } from '../../ports/ConfirmationsPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import { ParkedSources, type ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { OrderJourney } from '../shared/JourneyRecorder';

export interface SettleConfirmationDeps {
  confirmations: ConfirmationsPort;
  parked: ParkedMessagesPort;
  lifecycle: LifecyclePublisherPort;
  now: () => Date;
}

export interface SettleInput {
  confirmationId: string;
  request: ConfirmationRequest;
  /** What each branch of this run did. */
  outcomes: BranchOutcome[];
}

export interface Conclusion {
  status: 'confirmed' | 'needsAttention';
  /** Branches parked for an operator: of this run, and of an earlier one not run again. */
  parked: ConfirmationBranch[];
}

/**
 * After the fan-in: each branch that failed for good is parked with its code, to be re-run alone
 * (`npx hub parked replay`); the confirmation's conclusion is recorded; once no branch is parked,
 * `OrderConfirmed` (or `RegistrationConfirmed`) is published on `order-lifecycle`. Running it again
 * parks, records and publishes the same (subscribers drop a repeated event by its id).
 */
export async function settleConfirmation(input: SettleInput, deps: SettleConfirmationDeps, journey: OrderJourney): Promise<Conclusion> {
  const { confirmationId, request, outcomes } = input;
  const now = deps.now().toISOString();
  const failed = outcomes.filter((o): o is Extract<BranchOutcome, { outcome: 'failed' }> => o.outcome === 'failed');
  for (const failure of failed) {
    await deps.parked.park({
      source: ParkedSources.CONFIRMATIONS,
      orderId: request.subjectId,
      messageId: `${confirmationId}:${failure.branch}`,
      code: failure.code,
      reason: `${failure.branch} branch of ${confirmationId}: ${failure.reason}`,
      details: [`branch: ${failure.branch}`],
      payload: JSON.stringify({ request, branches: [failure.branch] }),
      attempts: 1,
      parkedAt: now,
      replayable: true,
    });
  }
  const runNow = new Set(outcomes.map((o) => o.branch));
  const earlier = (await deps.confirmations.read(confirmationId))?.record.conclusion?.parked ?? [];
  const parked = [
    ...new Set([...earlier.filter((b) => !runNow.has(b as ConfirmationBranch)), ...failed.map((f) => f.branch)]),
  ] as ConfirmationBranch[];
  const status = parked.length === 0 ? 'confirmed' : 'needsAttention';
  await deps.confirmations.recordConclusion(confirmationId, { status, at: now, parked });
  if (status === 'confirmed') {
    const registration = request.kind === ConfirmationKinds.REGISTRATION;
    const email = outcomes.find((o) => o.outcome === 'emailed');
    const list = outcomes.find((o) => o.branch === 'mailingList');
    await deps.lifecycle.publish([
      {
        ...lifecycleEvent(
          registration ? LifecycleEventTypes.REGISTRATION_CONFIRMED : LifecycleEventTypes.ORDER_CONFIRMED,
          request.subjectId,
          now,
          {
            confirmationId,
            ...(request.erpOrderId === undefined ? {} : { erpOrderId: request.erpOrderId }),
            ...(email?.outcome === 'emailed' ? { emailMessageId: email.messageId } : {}),
            ...(list === undefined ? {} : { mailingList: describeOutcome(list) }),
          },
        ),
        ...(registration ? { subject: `registrations/${request.subjectId}` } : {}),
      },
    ]);
  }
  await journey({
    step: 'confirmation',
    outcome: status === 'confirmed' ? JourneyOutcomes.OK : JourneyOutcomes.PARKED,
    detail: status === 'confirmed' ? `${confirmationId} confirmed` : `${confirmationId}: parked ${parked.join(', ')}`,
  });
  return { status, parked };
}
