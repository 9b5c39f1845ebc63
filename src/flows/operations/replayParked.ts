import { MessageProperties } from '../../config/queues';
import { HubError } from '../../domain/HubError';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import { ParkedSources, type ParkedMessage, type ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import { processOrderEvent, type ProcessOrderEventDeps } from '../orderToErp/processOrderEvent';
import type { JourneyRecorder } from '../shared/JourneyRecorder';
import { dryRunReplay, type DryRunDeps } from './dryRunReplay';

export interface ReplayDeps {
  parked: ParkedMessagesPort;
  sender: QueueSenderPort;
  /** What processes a parked ECP order event again. */
  orderEvents: ProcessOrderEventDeps;
  /** The mappings in force: an entry that would fail them again is not sent. */
  mappingsInForce: DryRunDeps;
  now: () => Date;
}

/** Which parked entries the command line replays: some orders', or those with one code; all open ones when neither is given. */
export interface ParkedFilter {
  orderIds?: readonly string[];
  code?: string;
}

/** Who replays, in which job: written on each replayed order's journey, with the mappings in force. */
export interface ReplayLineage {
  by: string;
  /** The replay job (its Durable instance id), when the replay is one. */
  jobId?: string;
}

/** What became of one parked message. */
export type ReplayResult = { message: ParkedMessage } & (
  | { outcome: 'replayed'; detail: string }
  /** Not replayed: it stays parked (the message is unusable, it would fail the mappings in force again, or processing it failed again). */
  | { outcome: 'kept'; detail: string; code?: string }
);

/**
 * Replays the open parked entries the filter names, one after another (the command line's replay;
 * the ops API runs `replayEntry` in a paced job). Replaying twice is harmless: the ledger never
 * lets an order reach the ERP twice.
 */
export async function replayParked(
  filter: ParkedFilter,
  deps: ReplayDeps,
  journeys: JourneyRecorder,
  lineage: ReplayLineage,
): Promise<ReplayResult[]> {
  const wanted = (await deps.parked.list()).filter(
    (m) => (filter.orderIds === undefined || filter.orderIds.includes(m.orderId)) && (filter.code === undefined || m.code === filter.code),
  );
  const results: ReplayResult[] = [];
  for (const message of wanted) results.push(await replayEntry(message, deps, journeys, lineage));
  return results;
}

/**
 * Replays one parked entry, guarded: a queue message is first mapped with the mappings in force,
 * and one that would fail them again stays parked, unsent, with the reason. Otherwise it goes back
 * to its queue as a new first attempt (a parked order event is processed again), and leaves
 * `parked` only once it is safely on its way. The order's journey says what was replayed, from
 * which parked entry, by whom, in which job and under which mappings; a refusal too.
 */
export async function replayEntry(
  message: ParkedMessage,
  deps: ReplayDeps,
  journeys: JourneyRecorder,
  lineage: ReplayLineage,
): Promise<ReplayResult> {
  const [check] = dryRunReplay([message], deps.mappingsInForce);
  let result: ReplayResult;
  if (check?.verdict === 'notReplayable') result = { message, outcome: 'kept', detail: `not replayable: ${check.reason ?? message.code}` };
  else if (check?.verdict === 'wouldFail')
    result = {
      message,
      outcome: 'kept',
      ...(check.code === undefined ? {} : { code: check.code }),
      detail: `not sent: it would fail again with ${check.code ?? 'an error'}: ${check.reason ?? ''}`,
    };
  else if (message.source === ParkedSources.ORDER_EVENTS) result = await replayEvent(message, deps, journeys);
  else result = await resend(message, deps, lineage);
  if (message.orderId !== '' && (result.outcome === 'replayed' || check?.verdict === 'wouldFail')) {
    await journeys.of({
      orderId: message.orderId,
      attempt: 1,
      ...(lineage.jobId === undefined
        ? message.correlationId === undefined
          ? {}
          : { correlationId: message.correlationId }
        : { correlationId: lineage.jobId }),
      ...(check?.mappings === undefined ? {} : { mappings: check.mappings }),
    })({
      step: 'replay',
      outcome: result.outcome === 'replayed' ? JourneyOutcomes.REPLAYED : JourneyOutcomes.PARKED,
      code: result.outcome === 'kept' && result.code !== undefined ? result.code : message.code,
      detail: `${lineageOf(message, lineage)}: ${result.detail}`,
    });
  }
  return result;
}

function lineageOf(message: ParkedMessage, lineage: ReplayLineage): string {
  const entry = `${message.source} entry ${message.messageId ?? message.orderId}`;
  const job = lineage.jobId === undefined ? '' : ` in job ${lineage.jobId}`;
  return `replayed by ${lineage.by}${job} from ${entry} (parked ${message.parkedAt} with ${message.code})`;
}

async function resend(message: ParkedMessage, deps: ReplayDeps, lineage: ReplayLineage): Promise<ReplayResult> {
  const replayedAt = deps.now().toISOString();
  await deps.sender.send(message.source, {
    body: JSON.parse(message.payload) as unknown,
    // One send per failure and job: a job's activity run again sends nothing new; a failure parked anew is another.
    messageId: `${message.messageId ?? message.orderId}:replay:${lineage.jobId ?? replayedAt}:${message.parkedAt}`,
    sessionId: message.orderId,
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    applicationProperties: { [MessageProperties.ATTEMPT]: 1, [MessageProperties.REPLAYED_AT]: replayedAt },
  });
  await deps.parked.remove(message.source, message.orderId, message.messageId);
  return { message, outcome: 'replayed', detail: `sent back to ${message.source}` };
}

async function replayEvent(message: ParkedMessage, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ReplayResult> {
  let outcome;
  try {
    outcome = await processOrderEvent(JSON.parse(message.payload) as unknown, deps.orderEvents, journeys);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    return { message, outcome: 'kept', code: error.code, detail: `${error.code}: ${error.message}` };
  }
  // Parked again: the same row was written anew with the new reason.
  if (outcome.outcome === 'parked') return { message, outcome: 'kept', code: outcome.code, detail: `parked again with ${outcome.code}` };
  await deps.parked.remove(message.source, message.orderId, message.messageId);
  return {
    message,
    outcome: 'replayed',
    detail: outcome.outcome === 'queued' ? `processed again: queued as ${outcome.messageId}` : 'processed again: an echo',
  };
}
