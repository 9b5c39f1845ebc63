import { Agent, request, type IncomingMessage } from 'node:http';
import { readBody } from '../readBody';
import { sharedAccessSignature } from './localBus';
import type { QueueNotices } from './LocalQueueReceiver';

/** How many carriers a receiver remembers (more than it can hold at once). */
const CARRIERS_REMEMBERED = 4096;

/** A notice names at most the namespace's 2,048 kept carriers: far below this. */
const NOTICE_ANSWER_LIMIT_BYTES = 1024 * 1024;

/** One connection kept open per queue's receiver: a notice is asked for again at once after each answer. */
const agent = new Agent({ keepAlive: true });

interface NoticeAnswer {
  sequence?: unknown;
  carriers?: { place?: unknown; queueMessageIds?: unknown };
}

/**
 * What a receiver waits on when its queue is empty: the local namespace's notice that a message can
 * be received (`GET /{queue}/$local/notices`), as Service Bus pushes messages to an AMQP receiver.
 * Each answer also names the messages the namespace has recorded as the first carriers of their
 * message ids since the last, which the receiver then takes without reading the duplicate record.
 * If the namespace does not answer, the wait is a plain pause: the receiver polls storage anyway,
 * and reads the record of every message it takes.
 */
export class NamespaceNotices implements QueueNotices {
  private since = 0;
  private carriersAfter = 0;
  private readonly carriers = new Set<string>();

  constructor(
    private readonly connection: { endpoint: string; keyName: string; key: string },
    private readonly queueName: string,
  ) {}

  /** Resolves when a message later than the last one heard of can be received, or after `timeoutMs`. */
  async next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const url = new URL(`${encodeURIComponent(this.queueName)}/$local/notices`, this.connection.endpoint);
    url.searchParams.set('since', String(this.since));
    url.searchParams.set('timeoutMs', String(timeoutMs));
    url.searchParams.set('carriersAfter', String(this.carriersAfter));
    try {
      this.heard(await this.ask(url, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs + 5000)])));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 200)));
    }
  }

  /** Whether the namespace said this queue message is the first carrier of its message id. */
  isCarrier(queueMessageId: string): boolean {
    return this.carriers.has(queueMessageId);
  }

  private heard(answer: NoticeAnswer): void {
    if (typeof answer.sequence === 'number') this.since = Math.max(this.since, answer.sequence);
    const { place, queueMessageIds } = answer.carriers ?? {};
    if (typeof place !== 'number' || !Array.isArray(queueMessageIds)) return;
    this.carriersAfter = place;
    for (const id of queueMessageIds) if (typeof id === 'string') this.carriers.add(id);
    for (const oldest of this.carriers) {
      if (this.carriers.size <= CARRIERS_REMEMBERED) break;
      this.carriers.delete(oldest);
    }
  }

  private async ask(url: URL, signal: AbortSignal): Promise<NoticeAnswer> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const headers = { authorization: sharedAccessSignature(this.connection.endpoint, this.connection.keyName, this.connection.key) };
      const call = request(url, { agent, signal, headers }, resolve);
      call.on('error', reject);
      call.end();
    });
    const body = await readBody(response, NOTICE_ANSWER_LIMIT_BYTES);
    if (response.statusCode !== 200) throw new Error(`notices answered ${String(response.statusCode)}`);
    return JSON.parse(body.toString('utf8')) as NoticeAnswer;
  }
}
