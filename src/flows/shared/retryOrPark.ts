import { MessageProperties } from '../../config/queues';
import { ErrorCodes } from '../../domain/errorCodes';
import type { HubError } from '../../domain/HubError';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { HubMessage } from './hubMessage';
import type { OrderJourney } from './JourneyRecorder';
import { retryDelayMs, type RetryPolicy } from './retryPolicy';

export interface RetryOrParkDeps {
  sender: QueueSenderPort;
  parked: ParkedMessagesPort;
  retryPolicy: RetryPolicy;
  now: () => Date;
  random: () => number;
}

export type FailureOutcome = { outcome: 'retryScheduled'; code: string; delayMs: number } | { outcome: 'parked'; code: string };

/** A transient failure with attempts left is retried; anything else is parked. */
export function willRetry(error: HubError, attempt: number, policy: RetryPolicy): boolean {
  return error.transient && attempt < policy.maxAttempts;
}

/**
 * After a failed attempt: the same message again later on the same queue, with backoff and
 * jitter (the Service Bus trigger has no delayed retry), or parked with its reason once it is
 * permanent or out of attempts; either way, recorded as `step` on the order's journey.
 */
export async function retryOrPark(
  queue: string,
  message: HubMessage,
  error: HubError,
  deps: RetryOrParkDeps,
  parking: { payload: unknown; messageId?: string; mappings?: string },
  journey: OrderJourney,
  step: string,
): Promise<FailureOutcome> {
  if (willRetry(error, message.attempt, deps.retryPolicy)) {
    const delayMs = retryDelayMs(deps.retryPolicy, message.attempt, deps.random, error.retryAfterMs);
    const nextAttempt = message.attempt + 1;
    await deps.sender.send(queue, {
      body: message.body,
      messageId: `${message.messageId.split('#')[0] ?? message.messageId}#${nextAttempt}`,
      sessionId: message.sessionId,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      applicationProperties: { ...scalarProperties(message.applicationProperties), [MessageProperties.ATTEMPT]: nextAttempt },
      scheduledEnqueueTime: new Date(deps.now().getTime() + delayMs),
    });
    await journey({ step, outcome: JourneyOutcomes.RETRY, code: error.code, detail: `${error.message}; next attempt in ${delayMs} ms` });
    return { outcome: 'retryScheduled', code: error.code, delayMs };
  }
  const code = error.transient ? ErrorCodes.ORDER_RETRIES_EXHAUSTED : error.code;
  const reason = error.transient ? `gave up after ${message.attempt} attempts; last error ${error.code}: ${error.message}` : error.message;
  await deps.parked.park({
    source: queue,
    orderId: message.sessionId,
    ...(parking.messageId === undefined ? {} : { messageId: parking.messageId }),
    code,
    reason,
    details: [...error.details],
    payload: JSON.stringify(parking.payload),
    attempts: message.attempt,
    parkedAt: deps.now().toISOString(),
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    ...(parking.mappings === undefined ? {} : { mappings: parking.mappings }),
    replayable: true,
  });
  await journey({ step, outcome: JourneyOutcomes.PARKED, code, detail: reason });
  return { outcome: 'parked', code };
}

function scalarProperties(properties: Record<string, unknown>): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') result[key] = value;
  }
  return result;
}
