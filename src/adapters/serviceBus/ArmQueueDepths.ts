import type { TokenCredential } from '@azure/core-auth';
import type { AxiosInstance } from 'axios';
import type { QueueDepth, QueueDepthsPort } from '../../ports/QueueDepthsPort';
import { axiosOnFirstUse } from '../http/axiosOnFirstUse';
import { onFirstCall } from '../onFirstUse';

const ARM = 'https://management.azure.com';
const API_VERSION = '2021-11-01';

interface ArmQueues {
  value?: { name: string; properties?: { countDetails?: { activeMessageCount?: number; deadLetterMessageCount?: number } } }[];
}

/**
 * Queue depths from Azure Resource Manager (the namespace's queues, with their countDetails), with
 * the managed identity: the Reader role on the namespace is all it needs, where Service Bus's own
 * management API would need its Data Owner role.
 */
export class ArmQueueDepths implements QueueDepthsPort {
  private readonly http: () => AxiosInstance;

  constructor(
    /** The namespace's resource id, `/subscriptions/…/providers/Microsoft.ServiceBus/namespaces/<name>`. */
    private readonly namespaceResourceId: string,
    private readonly credential: TokenCredential,
    timeoutMs = 10_000,
  ) {
    this.http = onFirstCall(() => axiosOnFirstUse().create({ baseURL: ARM, timeout: timeoutMs, validateStatus: () => true }));
  }

  async depths(queues: readonly string[]): Promise<QueueDepth[]> {
    let listed: ArmQueues;
    try {
      const token = await this.credential.getToken(`${ARM}/.default`);
      const response = await this.http().get<ArmQueues>(`${this.namespaceResourceId}/queues?api-version=${API_VERSION}`, {
        headers: { authorization: `Bearer ${token?.token ?? ''}` },
      });
      if (response.status !== 200)
        return queues.map((queue) => ({ queue, unavailable: `Azure Resource Manager answered ${response.status}` }));
      listed = response.data;
    } catch (error) {
      return queues.map((queue) => ({ queue, unavailable: error instanceof Error ? error.message : String(error) }));
    }
    return queues.map((queue): QueueDepth => {
      const counts = listed.value?.find((q) => q.name === queue)?.properties?.countDetails;
      if (counts === undefined) return { queue, unavailable: 'the namespace lists no such queue' };
      return { queue, active: counts.activeMessageCount ?? 0, deadLetters: counts.deadLetterMessageCount ?? 0 };
    });
  }
}
