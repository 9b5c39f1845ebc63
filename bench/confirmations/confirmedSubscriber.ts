import { JsonServer } from '../../local/sandboxes/JsonServer';
import { freePort } from '../../local/support/freePort';
import { LifecycleEventTypes } from '../../src/domain/lifecycleEvents';

/**
 * A subscriber of order-lifecycle that both sides of the bench wait on: a confirmation counts as
 * done when its OrderConfirmed has been delivered here, so Durable and floor stop the clock at the
 * same point.
 */
export class ConfirmedSubscriber {
  private readonly server: JsonServer;
  private readonly waiting = new Map<string, () => void>();
  private readonly arrived = new Set<string>();
  private port = 0;

  constructor() {
    this.server = new JsonServer().on('POST', /^\/events$/, (req) => {
      for (const event of req.body as { eventType: string; data: { orderId: string } }[]) {
        if (event.eventType !== `OrderHub.${LifecycleEventTypes.ORDER_CONFIRMED}`) continue;
        const wake = this.waiting.get(event.data.orderId);
        if (wake === undefined) this.arrived.add(event.data.orderId);
        else wake();
      }
      return { status: 200 };
    });
  }

  async listen(): Promise<string> {
    this.port = await freePort();
    await this.server.listen(this.port, '127.0.0.1');
    return this.endpoint;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  /** Resolves when OrderConfirmed for `orderId` has been delivered (before or after this call), or rejects after `timeoutMs`. */
  confirmed(orderId: string, timeoutMs: number): Promise<void> {
    if (this.arrived.delete(orderId)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(orderId);
        reject(new Error(`confirmation of ${orderId} not delivered within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(orderId, () => {
        clearTimeout(timer);
        this.waiting.delete(orderId);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
