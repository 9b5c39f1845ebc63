import type { OutgoingMessage, QueueSenderPort } from '../../ports/QueueSenderPort';
import { CLAIM_CHECK_PROPERTY, type ClaimCheckStore } from './ClaimCheckStore';

/**
 * Bodies larger than this go to a blob. It leaves room under both limits the hub meets: a Service
 * Bus Standard message (256 KB) and the local stand-in's storage queue message (64 KiB).
 */
export const CLAIM_CHECK_ABOVE_BYTES = 48 * 1024;

/** Sends small messages as they are, and a large one as a reference to its body in a blob. */
export class ClaimCheckSender implements QueueSenderPort {
  constructor(
    private readonly inner: QueueSenderPort,
    private readonly store: Pick<ClaimCheckStore, 'put'>,
    private readonly aboveBytes = CLAIM_CHECK_ABOVE_BYTES,
  ) {}

  async send(queueName: string, message: OutgoingMessage): Promise<void> {
    if (message.body === undefined || Buffer.byteLength(JSON.stringify(message.body)) <= this.aboveBytes) {
      await this.inner.send(queueName, message);
      return;
    }
    const blob = await this.store.put(queueName, message.body);
    await this.inner.send(queueName, {
      ...message,
      body: { [CLAIM_CHECK_PROPERTY]: blob },
      applicationProperties: { ...(message.applicationProperties ?? {}), [CLAIM_CHECK_PROPERTY]: blob },
    });
  }
}
