import { ALL_BRANCHES, confirmationIdOf } from '../../domain/confirmation';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { describeIssues } from '../../domain/validate';
import type { ClaimChecksPort } from '../../ports/ClaimChecksPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import { ParkedSources, type ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { HubMessage } from '../shared/hubMessage';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { retryOrPark, type RetryOrParkDeps } from '../shared/retryOrPark';
import { confirmationMessageSchema, type BranchRetry, type ConfirmationInput } from './confirmationInput';
import { QueueNames } from '../../config/queues';

/** The confirmation orchestrations, as the durable client sees them. */
export interface ConfirmationOrchestrationsPort {
  /** none: never started (or purged); running: pending or running; finished: completed, failed or terminated. */
  statusOf(confirmationId: string): Promise<'none' | 'running' | 'finished'>;
  /** Starts, or replaces a finished instance; `conflict` when one is pending or running. */
  start(confirmationId: string, input: ConfirmationInput): Promise<'started' | 'conflict'>;
}

export interface StartConfirmationDeps extends RetryOrParkDeps {
  orchestrations: ConfirmationOrchestrationsPort;
  claimChecks: ClaimChecksPort;
  parked: ParkedMessagesPort;
  branchRetry: BranchRetry;
}

export type StartOutcome = 'started' | 'alreadyStarted' | 'rerun' | 'retryScheduled' | 'parked';

/**
 * One confirmation request from `confirmations`: starts the `confirmation` orchestration with the
 * confirmation's own instance id. Starting twice is harmless: an instance that exists is left alone
 * (Durable would replace a finished one). A replayed parked branch runs again alone once the
 * instance has finished; while it runs, the replay waits. A request that is not one is parked.
 */
export async function startConfirmation(
  message: HubMessage,
  deps: StartConfirmationDeps,
  journeys: JourneyRecorder,
): Promise<StartOutcome> {
  const body = await deps.claimChecks.open(message.body, message.applicationProperties);
  const parsed = confirmationMessageSchema.safeParse(body);
  const journey = journeys.ofMessage(message);
  if (!parsed.success) {
    const details = describeIssues(parsed.error);
    await deps.parked.park({
      source: ParkedSources.CONFIRMATIONS,
      orderId: message.sessionId,
      messageId: message.messageId,
      code: ErrorCodes.CONFIRMATION_INVALID,
      reason: `not a confirmation request: ${details.join('; ')}`,
      details,
      payload: JSON.stringify(body),
      attempts: message.attempt,
      parkedAt: deps.now().toISOString(),
      replayable: false,
    });
    await journey({
      step: 'start-confirmation',
      outcome: JourneyOutcomes.PARKED,
      code: ErrorCodes.CONFIRMATION_INVALID,
      detail: details.join('; '),
    });
    return 'parked';
  }
  const { request, branches } = parsed.data;
  const confirmationId = confirmationIdOf(request.kind, request.subjectId);
  const input: ConfirmationInput = { request, branches: branches ?? [...ALL_BRANCHES], retry: deps.branchRetry };
  const status = await deps.orchestrations.statusOf(confirmationId);
  if (branches === undefined && status !== 'none') {
    await journey({ step: 'start-confirmation', outcome: JourneyOutcomes.DUPLICATE, detail: `${confirmationId} exists already` });
    return 'alreadyStarted';
  }
  const started = status === 'running' ? 'conflict' : await deps.orchestrations.start(confirmationId, input);
  if (started === 'conflict') {
    if (branches === undefined) return 'alreadyStarted';
    // A re-run waits for the running instance to finish (starting would replace it).
    const waiting = new HubError(
      ErrorCodes.ORDER_IN_PROGRESS,
      `${confirmationId} is running: branches ${branches.join(', ')} run again after it`,
      { transient: true },
    );
    const outcome = await retryOrPark(QueueNames.CONFIRMATIONS, message, waiting, deps, { payload: body }, journey, 'start-confirmation');
    return outcome.outcome;
  }
  await journey({
    step: 'start-confirmation',
    outcome: branches === undefined ? JourneyOutcomes.OK : JourneyOutcomes.REPLAYED,
    detail: `${confirmationId}: ${input.branches.join(', ')}`,
  });
  return branches === undefined ? 'started' : 'rerun';
}
