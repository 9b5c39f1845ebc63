import { MessageProperties } from '../../config/queues';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { ParkedMessage, ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';

export interface ReplayDeps {
  parked: ParkedMessagesPort;
  sender: QueueSenderPort;
  now: () => Date;
}

export interface ReplaySelection {
  /** Replay these orders; all parked messages when omitted. */
  orderIds?: readonly string[];
  /** Only parked messages with this error code, e.g. `MAPPING.UNKNOWN_SKU`. */
  code?: string;
}

/**
 * Sends parked messages back to their queue as new first attempts, then removes them from
 * `parked`. A message is removed only after it is safely queued; replaying one twice is harmless
 * because the ledger never lets an order reach the ERP twice.
 */
export async function replayParked(selection: ReplaySelection, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ParkedMessage[]> {
  const all = await deps.parked.list();
  const wanted = all.filter(
    (m) =>
      (selection.orderIds === undefined || selection.orderIds.includes(m.orderId)) &&
      (selection.code === undefined || m.code === selection.code),
  );
  for (const message of wanted) {
    const replayedAt = deps.now().toISOString();
    await deps.sender.send(message.queue, {
      body: JSON.parse(message.payload) as unknown,
      messageId: `${message.messageId ?? message.orderId}:replay:${replayedAt}`,
      sessionId: message.orderId,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      applicationProperties: { [MessageProperties.ATTEMPT]: 1, [MessageProperties.REPLAYED_AT]: replayedAt },
    });
    await deps.parked.remove(message.queue, message.orderId, message.messageId);
    await journeys.of({ orderId: message.orderId, attempt: 1 })({
      step: 'replay',
      outcome: JourneyOutcomes.REPLAYED,
      code: message.code,
      detail: `sent back to ${message.queue}`,
    });
  }
  return wanted;
}
