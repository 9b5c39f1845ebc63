import { sharedAccessSignature } from './localBus';
import type { QueueNotices } from './LocalQueueReceiver';

/**
 * What a receiver waits on when its queue is empty: the local namespace's notice that a message can
 * be received (`GET /{queue}/$local/notices`), as Service Bus pushes messages to an AMQP receiver.
 * If the namespace does not answer, the wait is a plain pause: the receiver polls storage anyway.
 */
export class NamespaceNotices implements QueueNotices {
  private since = 0;

  constructor(
    private readonly connection: { endpoint: string; keyName: string; key: string },
    private readonly queueName: string,
  ) {}

  /** Resolves when a message later than the last one heard of can be received, or after `timeoutMs`. */
  async next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const url = new URL(`${encodeURIComponent(this.queueName)}/$local/notices`, this.connection.endpoint);
    url.searchParams.set('since', String(this.since));
    url.searchParams.set('timeoutMs', String(timeoutMs));
    try {
      const response = await fetch(url, {
        headers: { authorization: sharedAccessSignature(this.connection.endpoint, this.connection.keyName, this.connection.key) },
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs + 5000)]),
      });
      const { sequence } = (await response.json()) as { sequence?: unknown };
      if (typeof sequence === 'number') this.since = Math.max(this.since, sequence);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 200)));
    }
  }
}
