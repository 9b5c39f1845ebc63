import { sleep, type JsonReply, type JsonServer } from './JsonServer';

/** Run-time faults of a sandbox service, set with `POST /_control/faults`. */
export interface ServiceFaults {
  /** Share of calls answered 503 (the service failed; nothing was done). */
  errorRate: number;
  /** Share of calls answered 429 with Retry-After (nothing was done). */
  rateLimitRate: number;
  /** Added to every answer. */
  latencyMs: number;
  /** Every call answered 503. */
  down: boolean;
}

export const NO_FAULTS: ServiceFaults = { errorRate: 0, rateLimitRate: 0, latencyMs: 0, down: false };

/**
 * Injects a sandbox's faults: `POST /_control/faults` sets them (what the body leaves out is no
 * fault), and `before()` answers a call for the fault it draws, or undefined when the call goes on.
 */
export class FaultInjector {
  faults: ServiceFaults = { ...NO_FAULTS };

  constructor(
    /** What the service answers a failed call with, in its own error format. */
    private readonly errorBody: (status: 429 | 503, message: string) => unknown,
  ) {}

  routes(server: JsonServer): void {
    server.on('POST', /^\/_control\/faults$/, (req) => {
      this.faults = { ...NO_FAULTS, ...(req.body as Partial<ServiceFaults>) };
      return { status: 200, body: this.faults };
    });
  }

  async before(): Promise<JsonReply | undefined> {
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (this.faults.down) return { status: 503, body: this.errorBody(503, 'the service is down (sandbox fault)') };
    const draw = Math.random();
    if (draw < this.faults.errorRate) return { status: 503, body: this.errorBody(503, 'injected failure (sandbox fault)') };
    if (draw < this.faults.errorRate + this.faults.rateLimitRate)
      return { status: 429, body: this.errorBody(429, 'too many requests (sandbox fault)'), headers: { 'retry-after': '1' } };
    return undefined;
  }
}
