import type { TokenCredential } from '@azure/core-auth';
import type { EventGridPublisherClient } from '@azure/eventgrid';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { LifecycleEvent } from '../../domain/lifecycleEvents';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';
import { onFirstUse } from '../onFirstUse';
import { inStep, SpanKind, traceCarrierOf } from '../../telemetry/orderTrace';

/**
 * The `order-lifecycle` Event Grid topic, through the official client (the local topic speaks the
 * same protocol): with the topic's access key, or with Entra (the managed identity, as an
 * EventGrid Data Sender) where no key is given. The SDK loads on the first publish (cold start).
 * Each event's data carries the order's trace context (`traceparent`): the Event Grid schema has
 * no extension attributes, as CloudEvents do.
 */
export class EventGridLifecyclePublisher implements LifecyclePublisherPort {
  private readonly client: () => Promise<EventGridPublisherClient<'EventGrid'>>;

  constructor(endpoint: string, access: string | TokenCredential) {
    this.client = onFirstUse(async () => {
      const { AzureKeyCredential, EventGridPublisherClient } = await import('@azure/eventgrid');
      const credential = typeof access === 'string' ? new AzureKeyCredential(access) : access;
      return new EventGridPublisherClient(endpoint, 'EventGrid', credential, {
        allowInsecureConnection: endpoint.startsWith('http://127.0.0.1'),
      });
    });
  }

  async publish(events: readonly LifecycleEvent[]): Promise<void> {
    if (events.length === 0) return;
    const client = await this.client();
    try {
      await inStep(
        'publish order-lifecycle',
        { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'eventgrid', 'messaging.destination.name': 'order-lifecycle' } },
        async () => {
          const trace = traceCarrierOf();
          await client.send(
            events.map((event) => ({
              id: event.id,
              eventType: `OrderHub.${event.type}`,
              subject: event.subject ?? `orders/${event.orderId}`,
              dataVersion: '1.0',
              eventTime: new Date(event.occurredAt),
              data: {
                orderId: event.orderId,
                ...event.data,
                ...(trace.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
              },
            })),
          );
        },
      );
    } catch (error) {
      throw new HubError(
        ErrorCodes.LIFECYCLE_PUBLISH_FAILED,
        `could not publish ${events.map((e) => e.type).join(', ')}: ${error instanceof Error ? error.message : String(error)}`,
        {
          transient: true,
        },
      );
    }
  }
}
