import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { describeOutcome, type BranchOutcome, type ConfirmationBranch } from '../../domain/confirmation';
import { ErrorCodes } from '../../domain/errorCodes';
import type { BranchInput } from './confirmationBranches';
import { ACTIVITY_OF_BRANCH, ConfirmationFunctions, type BranchRetry, type ConfirmationInput } from './confirmationInput';
import type { EmailOutcome } from './mailConfirmation';
import type { Conclusion } from './settleConfirmation';

/** What the orchestration says it did: its output, and (as it goes) its custom status. */
export interface ConfirmationOutput {
  confirmationId: string;
  status: Conclusion['status'];
  outcomes: BranchOutcome[];
}

/** How often the email branch waits for an earlier attempt's send to be checked before it gives up. */
const MAX_EMAIL_WAITS = 3;

function retryOptions(retry: BranchRetry): df.RetryOptions {
  const options = new df.RetryOptions(retry.firstRetryIntervalMs, retry.maxAttempts);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = retry.maxRetryIntervalMs;
  return options;
}

/** A branch still failing after its last retry: its outcome, with the first line of the last error. */
function exhausted(branch: ConfirmationBranch, error: unknown, attempts: number): BranchOutcome {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
  return {
    branch,
    outcome: 'failed',
    code: ErrorCodes.CONFIRMATION_RETRIES_EXHAUSTED,
    reason: `still failing after ${attempts} attempts: ${message}`,
  };
}

/**
 * The confirmation of one order or registration: fans out to its branches (save, email, mailing
 * list) side by side, each retried on transient failures by the Durable retry options; fans in,
 * whatever each branch did: a branch that failed for good does not cancel or undo the others.
 * Then parks what failed and publishes the confirmation (concludeConfirmation). Deterministic:
 * everything it knows comes from its input and its activities.
 */
export const confirmationOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ConfirmationInput>();
  const confirmationId = context.df.instanceId;
  const retry = retryOptions(input.retry);
  const branchInput: BranchInput = { confirmationId, request: input.request, ...(input.trace === undefined ? {} : { trace: input.trace }) };
  const shown: Record<string, string> = Object.fromEntries(input.branches.map((b) => [b, 'running']));
  context.df.setCustomStatus({ stage: 'confirming', branches: shown });

  const tasks: Task[] = input.branches.map((branch) => context.df.callActivityWithRetry(ACTIVITY_OF_BRANCH[branch], retry, branchInput));
  try {
    yield context.df.Task.all(tasks);
  } catch {
    // A branch failed after its retries: the others run on, and each is read below.
  }
  const outcomes: BranchOutcome[] = [];
  for (const [index, task] of tasks.entries()) {
    const branch = input.branches[index] as ConfirmationBranch;
    let outcome: EmailOutcome;
    try {
      outcome = (yield task) as EmailOutcome;
    } catch (error) {
      outcome = exhausted(branch, error, input.retry.maxAttempts);
    }
    // An earlier attempt may have sent the mail: wait until it can be checked, then ask again.
    for (let waits = 0; outcome.outcome === 'waiting' && waits < MAX_EMAIL_WAITS; waits++) {
      yield context.df.createTimer(new Date(outcome.until));
      try {
        outcome = (yield context.df.callActivityWithRetry(ConfirmationFunctions.EMAIL, retry, branchInput)) as EmailOutcome;
      } catch (error) {
        outcome = exhausted(branch, error, input.retry.maxAttempts);
      }
    }
    const settled: BranchOutcome =
      outcome.outcome === 'waiting' ? { branch, outcome: 'failed', code: ErrorCodes.MAIL_UNCERTAIN, reason: outcome.reason } : outcome;
    outcomes.push(settled);
    shown[branch] = describeOutcome(settled);
    context.df.setCustomStatus({ stage: 'confirming', branches: shown });
  }

  const conclusion = (yield context.df.callActivityWithRetry(ConfirmationFunctions.CONCLUDE, retry, {
    ...branchInput,
    outcomes,
  })) as Conclusion;
  context.df.setCustomStatus({ stage: conclusion.status, branches: shown });
  const output: ConfirmationOutput = { confirmationId, status: conclusion.status, outcomes };
  return output;
};

df.app.orchestration('confirmation', confirmationOrchestrator);
