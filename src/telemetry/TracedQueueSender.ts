import type { OutgoingMessage, QueueSenderPort } from '../ports/QueueSenderPort';
import { inStep, SpanKind, subjectOf, traceCarrierOf, type TraceSubject } from './orderTrace';

/** Whose trace a message is in, from the message: by default its session's order. */
export type MessageSubject = (queueName: string, message: OutgoingMessage) => TraceSubject;

/**
 * Every message the hub sends goes in a producer span of its order's trace and carries that
 * span's W3C trace context (`traceparent`, and `Diagnostic-Id` as Service Bus names it), so the
 * function that receives it continues the trace. The active step's subject is the message's;
 * outside one (a callback, a registration being taken) `subjectOfMessage` says.
 */
export class TracedQueueSender implements QueueSenderPort {
  constructor(
    private readonly inner: QueueSenderPort,
    private readonly subjectOfMessage: MessageSubject = (_queue, message) => ({ orderId: message.sessionId }),
  ) {}

  async send(queueName: string, message: OutgoingMessage): Promise<void> {
    const subject = subjectOf() ?? this.subjectOfMessage(queueName, message);
    await inStep(
      `send ${queueName}`,
      {
        kind: SpanKind.PRODUCER,
        subject,
        attributes: {
          'messaging.system': 'servicebus',
          'messaging.operation.type': 'send',
          'messaging.destination.name': queueName,
          'messaging.message.id': message.messageId,
        },
      },
      async () => {
        await this.inner.send(queueName, {
          ...message,
          applicationProperties: { ...message.applicationProperties, ...traceCarrierOf() },
        });
      },
    );
  }
}
