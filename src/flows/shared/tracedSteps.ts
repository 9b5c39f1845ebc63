import { context } from '@opentelemetry/api';
import { inStep, SpanKind, traceContextFrom, type TraceSubject } from '../../telemetry/orderTrace';
import type { HubMessage } from './hubMessage';

/**
 * A Service Bus delivery as a consumer span of its order's trace: the child of the span that sent
 * the message (its `Diagnostic-Id` / `traceparent`), linked to the host's span of the invocation.
 * The Node worker does not continue a message's trace context itself, so the hub does.
 */
export async function deliveryStep<T>(
  functionName: string,
  queueName: string,
  message: HubMessage,
  subject: TraceSubject,
  work: () => Promise<T>,
): Promise<T> {
  return await inStep(
    functionName,
    {
      kind: SpanKind.CONSUMER,
      subject,
      parent: traceContextFrom(message.applicationProperties),
      links: [context.active()],
      attributes: {
        'messaging.system': 'servicebus',
        'messaging.operation.type': 'process',
        'messaging.destination.name': queueName,
        'messaging.message.id': message.messageId,
        'hub.attempt': message.attempt,
      },
    },
    work,
  );
}

/**
 * An invocation that starts in another system's request (an Event Grid delivery, an HTTP call) as
 * a span of the order's trace, linked to that request's span (the host's, or the event's own
 * `traceparent`).
 */
export async function requestStep<T>(
  functionName: string,
  subject: TraceSubject | undefined,
  origin: Record<string, unknown> | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return await inStep(
    functionName,
    {
      kind: SpanKind.SERVER,
      ...(subject === undefined ? {} : { subject }),
      // The host's span of the request is linked: a parent would be outside the order's trace.
      parent: traceContextFrom(origin),
      links: [context.active()],
    },
    work,
  );
}
