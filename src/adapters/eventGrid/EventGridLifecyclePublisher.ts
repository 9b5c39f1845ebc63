import type { TokenCredential } from '@azure/core-auth';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { LifecycleEvent } from '../../domain/lifecycleEvents';
import type { LifecyclePublisherPort } from '../../ports/LifecyclePublisherPort';

/**
 * The `order-lifecycle` Event Grid topic, through the official client (the local topic speaks the
 * same protocol): with the topic's access key, or with Entra (the managed identity, as an
 * EventGrid Data Sender) where no key is given.
 */
export class EventGridLifecyclePublisher implements LifecyclePublisherPort {
  private readonly client: EventGridPublisherClient<'EventGrid'>;

  constructor(endpoint: string, access: string | TokenCredential) {
    const credential = typeof access === 'string' ? new AzureKeyCredential(access) : access;
    this.client = new EventGridPublisherClient(endpoint, 'EventGrid', credential, {
      allowInsecureConnection: endpoint.startsWith('http://127.0.0.1'),
    });
  }

  async publish(events: readonly LifecycleEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.client.send(
        events.map((event) => ({
          id: event.id,
          eventType: `OrderHub.${event.type}`,
          subject: event.subject ?? `orders/${event.orderId}`,
          dataVersion: '1.0',
          eventTime: new Date(event.occurredAt),
          data: { orderId: event.orderId, ...event.data },
        })),
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
