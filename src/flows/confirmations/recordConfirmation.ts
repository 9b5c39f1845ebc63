import { ConfirmationBranches, describeOutcome, type BranchOutcome } from '../../domain/confirmation';
import type { ConfirmationsPort } from '../../ports/ConfirmationsPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { OrderJourney } from '../shared/JourneyRecorder';
import { branchStep, runBranch, type BranchInput } from './confirmationBranches';

export interface RecordConfirmationDeps {
  confirmations: ConfirmationsPort;
  now: () => Date;
}

/** The save branch: what was confirmed and to whom, upserted into the `confirmations` table (running it again changes nothing). */
export async function recordConfirmation(input: BranchInput, deps: RecordConfirmationDeps, journey: OrderJourney): Promise<BranchOutcome> {
  return await runBranch(ConfirmationBranches.SAVE, journey, async () => {
    const at = deps.now().toISOString();
    await deps.confirmations.save(input.confirmationId, input.request, at);
    const outcome: BranchOutcome = { branch: 'save', outcome: 'saved', at };
    await journey({ step: branchStep('save'), outcome: JourneyOutcomes.OK, detail: describeOutcome(outcome) });
    return outcome;
  });
}
