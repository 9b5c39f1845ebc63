import type { TokenCredential } from '@azure/core-auth';
import type { ServiceBusClient, ServiceBusMessage, ServiceBusSender } from '@azure/service-bus';
import type { OutgoingMessage, QueueSenderPort } from '../../ports/QueueSenderPort';
import { onFirstUse } from '../onFirstUse';

export type ServiceBusConnection = { connectionString: string } | { fullyQualifiedNamespace: string; credential: TokenCredential };

/** Sends to Azure Service Bus (a connection string, or the namespace with the managed identity); the SDK loads on first use to keep cold start short. */
export class ServiceBusQueueSender implements QueueSenderPort {
  private client: ServiceBusClient | undefined;
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(private readonly connection: ServiceBusConnection) {}

  async send(queueName: string, message: OutgoingMessage): Promise<void> {
    const sender = await this.senderFor(queueName);
    const outgoing: ServiceBusMessage = {
      body: message.body,
      contentType: 'application/json',
      messageId: message.messageId,
      sessionId: message.sessionId,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      ...(message.applicationProperties === undefined ? {} : { applicationProperties: message.applicationProperties }),
    };
    if (message.scheduledEnqueueTime === undefined) await sender.sendMessages(outgoing);
    else await sender.scheduleMessages(outgoing, message.scheduledEnqueueTime);
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  private async senderFor(queueName: string): Promise<ServiceBusSender> {
    let sender = this.senders.get(queueName);
    if (sender === undefined) {
      const client = await this.getClient();
      sender = client.createSender(queueName);
      this.senders.set(queueName, sender);
    }
    return sender;
  }

  /** One client, however many sends ask for it at once. */
  private readonly getClient = onFirstUse(async (): Promise<ServiceBusClient> => {
    const { ServiceBusClient } = await import('@azure/service-bus');
    this.client =
      'connectionString' in this.connection
        ? new ServiceBusClient(this.connection.connectionString)
        : new ServiceBusClient(this.connection.fullyQualifiedNamespace, this.connection.credential);
    return this.client;
  });
}
