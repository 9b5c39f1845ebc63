import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { ErpCallback } from '../../../src/platforms/erp/erpCallback';
import { signCallback } from '../../../src/platforms/erp/callbackSignature';
import type { ErpSalesOrderRecord, ErpSalesOrder } from '../../../src/platforms/erp/erpSalesOrder';

/** How the sandbox ERP reports what happens to its orders, set at run time (`POST /_control/callbacks`). */
export interface CallbackSettings {
  /** Off: no callbacks at all. */
  enabled: boolean;
  /** Time between the steps of an order's life. */
  stepMs: number;
  /** Share of callbacks sent twice (a second time later). */
  duplicateRate: number;
  /** Send the callbacks of an order in a random order. */
  shuffle: boolean;
  /** Up to this much extra delay on each callback. */
  maxDelayMs: number;
  /** Share of orders the ERP rejects after taking them (out of stock), instead of fulfilling them. */
  rejectRate: number;
}

export const DEFAULT_CALLBACKS: CallbackSettings = {
  enabled: true,
  stepMs: 1000,
  duplicateRate: 0,
  shuffle: false,
  maxDelayMs: 0,
  rejectRate: 0,
};

const CARRIERS: Readonly<Record<string, string>> = { FR: 'COLISSIMO', GB: 'ROYALMAIL' };

/**
 * The life of a sales order in the sandbox ERP, reported to the hub as signed callbacks:
 * created, paid, prepared, shipped, delivered. Callbacks the hub does not take (5xx, 422, no
 * answer) are sent again, as an ERP's outbox would.
 */
export class OrderLives {
  settings: CallbackSettings = { ...DEFAULT_CALLBACKS };
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private readonly stopping = new AbortController();
  /** Callbacks the hub answered 2xx, by callback id (a repeat counts twice). */
  readonly delivered: string[] = [];

  constructor(
    private readonly options: {
      url: string;
      secret: string;
      log: (line: string) => void;
      /** Told as each step happens, before its callback goes out (the ERP ships, or rejects, the order). */
      onStep?: (event: ErpCallback['event'], salesOrderId: string) => void;
    },
  ) {
    // Every waiting callback listens for the stop: many at once is normal here.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Schedules the callbacks of a new sales order. */
  begin(record: ErpSalesOrderRecord, order: ErpSalesOrder): void {
    if (!this.settings.enabled || this.stopped) return;
    const { stepMs, shuffle, duplicateRate, maxDelayMs, rejectRate } = this.settings;
    const carrier = CARRIERS[order.shipTo.countryCode] ?? 'UPS';
    const tracking = `${carrier.slice(0, 2)}${Math.floor(Math.random() * 1e10)}`;
    const base = {
      occurredAt: '',
      salesOrder: { id: record.id, number: record.number, externalDocumentNumber: record.externalDocumentNumber },
    };
    const life: Omit<ErpCallback, 'callbackId' | 'occurredAt' | 'salesOrder'>[] = [
      { event: 'SalesOrder.Created' },
      {
        event: 'Payment.Captured',
        payment: { amount: order.amounts.totalInclTax, currencyCode: order.currencyCode, reference: `PAY-${record.number}` },
      },
      { event: 'Shipment.Prepared', shipment: { shippingAgentCode: carrier } },
      { event: 'Shipment.Shipped', shipment: { shippingAgentCode: carrier, packageTrackingNo: tracking } },
      { event: 'Shipment.Delivered', shipment: { shippingAgentCode: carrier, packageTrackingNo: tracking } },
    ];
    if (Math.random() < rejectRate) {
      const item = order.lines[0]?.itemNo ?? '?';
      life.splice(1, life.length - 1, {
        event: 'SalesOrder.Rejected',
        reason: { code: 'OUT_OF_STOCK', description: `item ${item} is out of stock` },
      });
    }
    const times = life.map((_, i) => stepMs * (i + 1));
    if (shuffle) times.sort(() => Math.random() - 0.5);
    life.forEach((step, i) => {
      const callback: ErpCallback = {
        ...base,
        ...step,
        callbackId: `${record.id}-${i + 1}-${randomUUID().slice(0, 8)}`,
        occurredAt: new Date(Date.now() + stepMs * (i + 1)).toISOString(),
      };
      const at = (times[i] ?? 0) + Math.random() * maxDelayMs;
      this.track(this.sendAt(callback, at));
      if (Math.random() < duplicateRate) this.track(this.sendAt(callback, at + Math.random() * (stepMs + maxDelayMs), false));
    });
  }

  /** How many callbacks are waiting or being sent. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Stops at once: callbacks not yet sent are dropped (the sandbox is going away). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await Promise.all(this.inFlight);
  }

  /** Waits `ms`; false when stopped meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await delay(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  private track(sending: Promise<void>): void {
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  private async sendAt(callback: ErpCallback, afterMs: number, first = true): Promise<void> {
    if (!(await this.pause(afterMs))) return;
    if (first) this.options.onStep?.(callback.event, callback.salesOrder.id);
    const body = Buffer.from(JSON.stringify(callback));
    for (let attempt = 1; !this.stopped; attempt++) {
      let status = 0;
      try {
        // Signed at each attempt, as a sender's outbox does: a resend is not a replay.
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signCallback(body, this.options.secret, new Date()) },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopping.signal]),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) {
        this.delivered.push(callback.callbackId);
        return;
      }
      if (status === 400 || status === 401 || attempt >= 20) {
        this.options.log(`callback ${callback.callbackId} (${callback.event}) given up: HTTP ${status}`);
        return;
      }
      // At least a second apart: a resend signed in the same second as the attempt before it would be
      // the same signed request, which the hub refuses as a replay (after an attempt whose answer was
      // lost, the hub may well have taken it).
      if (!(await this.pause(Math.min(5000, Math.max(1000, 100 * 2 ** attempt))))) return;
    }
  }
}
