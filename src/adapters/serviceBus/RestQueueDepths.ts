import type { AxiosInstance } from 'axios';
import type { ServiceBusConnectionString } from '../../config/serviceBusConnectionString';
import type { QueueDepth, QueueDepthsPort } from '../../ports/QueueDepthsPort';
import { axiosOnFirstUse } from '../http/axiosOnFirstUse';
import { onFirstCall } from '../onFirstUse';
import { sharedAccessSignature } from './sharedAccessSignature';

const count = (xml: string, name: string): number | undefined => {
  const match = new RegExp(`<(?:\\w+:)?${name}>(\\d+)<`).exec(xml);
  return match === null ? undefined : Number(match[1]);
};

/**
 * Queue depths from Service Bus's management REST API ("Get Queue": `GET {namespace}/{queue}`, an
 * Atom entry whose QueueDescription holds CountDetails), signed with the connection string's key,
 * which needs the Manage right. The local namespace answers it too.
 */
export class RestQueueDepths implements QueueDepthsPort {
  private readonly http: () => AxiosInstance;

  constructor(
    private readonly connection: ServiceBusConnectionString,
    timeoutMs = 10_000,
  ) {
    this.http = onFirstCall(() => axiosOnFirstUse().create({ timeout: timeoutMs, validateStatus: () => true, responseType: 'text' }));
  }

  async depths(queues: readonly string[]): Promise<QueueDepth[]> {
    // An sb:// endpoint's management API is the same host over https.
    const base = new URL(this.connection.endpoint.toString().replace(/^sb:/, 'https:'));
    return await Promise.all(
      queues.map(async (queue): Promise<QueueDepth> => {
        const url = new URL(`${encodeURIComponent(queue)}?api-version=2021-05`, base).toString();
        try {
          const response = await this.http().get<string>(url, {
            headers: { authorization: sharedAccessSignature(base.toString(), this.connection.keyName, this.connection.key, new Date()) },
          });
          if (response.status !== 200) return { queue, unavailable: `Service Bus answered ${response.status}` };
          const active = count(response.data, 'ActiveMessageCount');
          const deadLetters = count(response.data, 'DeadLetterMessageCount');
          return {
            queue,
            ...(active === undefined ? {} : { active }),
            ...(deadLetters === undefined ? { unavailable: 'the answer holds no CountDetails' } : { deadLetters }),
          };
        } catch (error) {
          return { queue, unavailable: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }
}
