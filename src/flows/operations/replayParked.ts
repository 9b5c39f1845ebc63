import { MessageProperties } from '../../config/queues';
import { HubError } from '../../domain/HubError';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import { ParkedSources, type ParkedMessage, type ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import { processOrderEvent, type ProcessOrderEventDeps } from '../orderToErp/processOrderEvent';
import type { JourneyRecorder } from '../shared/JourneyRecorder';

export interface ReplayDeps {
  parked: ParkedMessagesPort;
  sender: QueueSenderPort;
  /** What processes a parked ECP order event again. */
  orderEvents: ProcessOrderEventDeps;
  now: () => Date;
}

export interface ReplaySelection {
  /** Replay these orders; all parked messages when omitted. */
  orderIds?: readonly string[];
  /** Only parked messages with this error code, e.g. `MAPPING.UNKNOWN_SKU`. */
  code?: string;
}

/** What became of one parked message. */
export type ReplayResult = { message: ParkedMessage } & (
  | { outcome: 'replayed'; detail: string }
  /** Not replayed: it stays parked (the event itself is unusable, or processing it failed again). */
  | { outcome: 'kept'; detail: string }
);

/**
 * Sends parked queue messages back to their queue as new first attempts, and processes parked
 * order events again; a message leaves `parked` only once it is safely on its way. Replaying
 * twice is harmless: the ledger never lets an order reach the ERP twice.
 */
export async function replayParked(selection: ReplaySelection, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ReplayResult[]> {
  const wanted = (await deps.parked.list()).filter(
    (m) =>
      (selection.orderIds === undefined || selection.orderIds.includes(m.orderId)) &&
      (selection.code === undefined || m.code === selection.code),
  );
  const results: ReplayResult[] = [];
  for (const message of wanted) {
    const result = message.source === ParkedSources.ORDER_EVENTS ? await replayEvent(message, deps, journeys) : await resend(message, deps);
    if (result.outcome === 'replayed' && message.orderId !== '') {
      await journeys.of({
        orderId: message.orderId,
        attempt: 1,
        ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      })({
        step: 'replay',
        outcome: JourneyOutcomes.REPLAYED,
        code: message.code,
        detail: result.detail,
      });
    }
    results.push(result);
  }
  return results;
}

async function resend(message: ParkedMessage, deps: ReplayDeps): Promise<ReplayResult> {
  const replayedAt = deps.now().toISOString();
  await deps.sender.send(message.source, {
    body: JSON.parse(message.payload) as unknown,
    messageId: `${message.messageId ?? message.orderId}:replay:${replayedAt}`,
    sessionId: message.orderId,
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    applicationProperties: { [MessageProperties.ATTEMPT]: 1, [MessageProperties.REPLAYED_AT]: replayedAt },
  });
  await deps.parked.remove(message.source, message.orderId, message.messageId);
  return { message, outcome: 'replayed', detail: `sent back to ${message.source}` };
}

async function replayEvent(message: ParkedMessage, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ReplayResult> {
  if (!message.replayable) return { message, outcome: 'kept', detail: `not replayable: the event itself is unusable (${message.code})` };
  let outcome;
  try {
    outcome = await processOrderEvent(JSON.parse(message.payload) as unknown, deps.orderEvents, journeys);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    return { message, outcome: 'kept', detail: `${error.code}: ${error.message}` };
  }
  // Parked again: the same row was written anew with the new reason.
  if (outcome.outcome === 'parked') return { message, outcome: 'kept', detail: `parked again with ${outcome.code}` };
  await deps.parked.remove(message.source, message.orderId, message.messageId);
  return {
    message,
    outcome: 'replayed',
    detail: outcome.outcome === 'queued' ? `processed again: queued as ${outcome.messageId}` : 'processed again: an echo',
  };
}
