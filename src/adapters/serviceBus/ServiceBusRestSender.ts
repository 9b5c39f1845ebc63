import type { AxiosInstance } from 'axios';
import { axiosOnFirstUse, keepAliveAgents } from '../http/axiosOnFirstUse';
import type { OutgoingMessage, QueueSenderPort } from '../../ports/QueueSenderPort';
import type { ServiceBusConnectionString } from '../../config/serviceBusConnectionString';
import { onFirstCall } from '../onFirstUse';
import { sharedAccessSignature } from './sharedAccessSignature';

/**
 * Sends to a Service Bus queue over its REST API ("Send Message": `POST {endpoint}{queue}/messages`,
 * broker properties in the `BrokerProperties` header, application properties as headers), signed
 * with the connection string's shared access key. The local Service Bus namespace speaks this API;
 * so does Azure Service Bus.
 */
export class ServiceBusRestSender implements QueueSenderPort {
  private readonly http: () => AxiosInstance;

  constructor(
    private readonly connection: ServiceBusConnectionString,
    timeoutMs = 30_000,
  ) {
    this.http = onFirstCall(() =>
      axiosOnFirstUse().create({
        timeout: timeoutMs,
        ...keepAliveAgents(),
        maxRedirects: 0,
        validateStatus: () => true,
      }),
    );
  }

  async send(queueName: string, message: OutgoingMessage): Promise<void> {
    const url = new URL(`${encodeURIComponent(queueName)}/messages`, this.connection.endpoint).toString();
    const brokerProperties = {
      MessageId: message.messageId,
      SessionId: message.sessionId,
      ...(message.correlationId === undefined ? {} : { CorrelationId: message.correlationId }),
      ...(message.scheduledEnqueueTime === undefined ? {} : { ScheduledEnqueueTimeUtc: message.scheduledEnqueueTime.toUTCString() }),
    };
    const headers: Record<string, string> = {
      authorization: sharedAccessSignature(this.connection.endpoint.toString(), this.connection.keyName, this.connection.key, new Date()),
      'content-type': 'application/json',
      BrokerProperties: JSON.stringify(brokerProperties),
    };
    // Application properties travel as headers whose value is a JSON literal: "text", 12, true.
    for (const [name, value] of Object.entries(message.applicationProperties ?? {})) headers[name] = JSON.stringify(value);
    const response = await this.http().post<unknown>(url, JSON.stringify(message.body ?? null), { headers });
    if (response.status === 201) return;
    const reason = typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
    throw new Error(`Service Bus refused message ${message.messageId} for ${queueName} (${response.status}): ${reason.slice(0, 300)}`);
  }
}
