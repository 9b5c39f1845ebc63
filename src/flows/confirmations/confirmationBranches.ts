import type { BranchOutcome, ConfirmationBranch, ConfirmationRequest } from '../../domain/confirmation';
import { HubError } from '../../domain/HubError';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { TraceCarrier } from '../../telemetry/orderTrace';
import type { OrderJourney } from '../shared/JourneyRecorder';

/** What each branch activity gets: the confirmation and what it confirms. */
export interface BranchInput {
  confirmationId: string;
  request: ConfirmationRequest;
  /** The trace context the activity continues: the starter's. */
  trace?: TraceCarrier;
}

/** The journey step a branch records, e.g. `confirm-email`. */
export const branchStep = (branch: ConfirmationBranch): string => `confirm-${branch}`;

/**
 * Runs one branch: a permanent failure becomes the branch's outcome (`failed`, with its code), a
 * transient one is recorded on the journey and thrown, for the orchestration's retry options to
 * try again. Anything else thrown (a bug, storage down) is thrown as it is.
 */
export async function runBranch<T extends BranchOutcome | { outcome: string }>(
  branch: ConfirmationBranch,
  journey: OrderJourney,
  work: () => Promise<T>,
): Promise<T | BranchOutcome> {
  try {
    return await work();
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    if (error.transient) {
      await journey({ step: branchStep(branch), outcome: JourneyOutcomes.RETRY, code: error.code, detail: error.message });
      throw error;
    }
    await journey({ step: branchStep(branch), outcome: JourneyOutcomes.PARKED, code: error.code, detail: error.message });
    return { branch, outcome: 'failed', code: error.code, reason: error.message };
  }
}
