import { createHash, randomBytes } from 'node:crypto';
import { sleep, type JsonReply, type JsonRequest } from '../JsonServer';
import { Sandbox } from '../Sandbox';

export interface SandboxPaymentProviderOptions {
  host: string;
  port: number;
  /** The secret key the hub charges with (`Authorization: Bearer …`). */
  secretKey: string;
  /** Its journal, where its charges survive a restart (`npm start`); in memory only when left out. */
  journal?: string;
  log: (line: string) => void;
}

/** A charge: an authorization captured at once. */
export interface Charge {
  id: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  captured: true;
  /** The token it was paid with, which can pay once. */
  source: string;
  description: string;
  metadata: Record<string, string>;
  created: string;
}

/** What the provider keeps: charges, tokens, and the first answer to each idempotency key. */
type PaymentChange =
  | { kind: 'token'; token: string; last4: string; declineCode?: string }
  | { kind: 'charge'; charge: Charge }
  | { kind: 'answer'; key: string; fingerprint: string; reply: JsonReply };

/** Faults set with `POST /_control/faults`. */
export interface PaymentFaults {
  /** Share of charges answered 503 before anything is charged. */
  errorRate: number;
  /** Share of charges made but never answered (the caller times out; a retry with the same key gets the charge). */
  timeoutAfterChargeRate: number;
  latencyMs: number;
  down: boolean;
}

const NO_FAULTS: PaymentFaults = { errorRate: 0, timeoutAfterChargeRate: 0, latencyMs: 0, down: false };

/** Tokens every sandbox knows, as test cards a provider documents. */
export const SEEDED_TOKENS = {
  tok_visa: undefined,
  tok_mastercard: undefined,
  tok_chargeDeclined: 'generic_decline',
  tok_insufficientFunds: 'insufficient_funds',
  tok_expiredCard: 'expired_card',
} as const;

const DECLINE_MESSAGES: Record<string, string> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
};

const error = (status: number, type: string, message: string, extra: Record<string, string> = {}): JsonReply => ({
  status,
  body: { error: { type, message, ...extra } },
});

/** How long an unanswered charge holds its connection before the sandbox drops it. */
const HANG_MS = 60_000;

/**
 * A payment provider's sandbox, shaped like the card APIs shops use: the client-side SDK turns a
 * card into a single-use token (`POST /v1/tokens`, which the hub never calls); the server charges
 * a token (`POST /v1/charges`, authorize and capture) with an `Idempotency-Key`, and a repeat of the
 * key gets the first answer, decline included. Seeded tokens decline as their names say.
 * `GET /_control/charges` lists what was charged.
 */
export class SandboxPaymentProvider extends Sandbox<PaymentChange> {
  readonly charges: Charge[] = [];
  faults: PaymentFaults = { ...NO_FAULTS };
  private readonly tokens = new Map<string, { last4: string; declineCode?: string; used: boolean }>();
  private readonly answers = new Map<string, { fingerprint: string; reply: JsonReply }>();

  constructor(private readonly options: SandboxPaymentProviderOptions) {
    super(options);
    for (const [token, declineCode] of Object.entries(SEEDED_TOKENS))
      this.tokens.set(token, { last4: '4242', ...(declineCode === undefined ? {} : { declineCode }), used: false });
    this.server
      .on('POST', /^\/v1\/tokens$/, (req) => this.tokenize(req))
      .on('POST', /^\/v1\/charges$/, async (req) => this.refused(req) ?? (await this.charge(req)))
      .on('GET', /^\/_control\/charges$/, () => ({ status: 200, body: { value: this.charges } }))
      .on('POST', /^\/_control\/faults$/, (req) => {
        this.faults = { ...NO_FAULTS, ...(req.body as Partial<PaymentFaults>) };
        return { status: 200, body: this.faults };
      });
  }

  protected apply(change: PaymentChange): void {
    if (change.kind === 'token')
      this.tokens.set(change.token, {
        last4: change.last4,
        ...(change.declineCode === undefined ? {} : { declineCode: change.declineCode }),
        used: false,
      });
    if (change.kind === 'charge') {
      this.charges.push(change.charge);
      const token = this.tokens.get(change.charge.source);
      if (token !== undefined) token.used = true;
    }
    if (change.kind === 'answer') this.answers.set(change.key, { fingerprint: change.fingerprint, reply: change.reply });
  }

  protected snapshot(): PaymentChange[] {
    return [
      ...[...this.tokens].map(([token, t]): PaymentChange => ({
        kind: 'token',
        token,
        last4: t.last4,
        ...(t.declineCode === undefined ? {} : { declineCode: t.declineCode }),
      })),
      ...this.charges.map((charge): PaymentChange => ({ kind: 'charge', charge })),
      ...[...this.answers].map(([key, a]): PaymentChange => ({ kind: 'answer', key, ...a })),
    ];
  }

  /** A new token for a card, as the client-side SDK makes it in the browser (cards ending 0002 decline). */
  private tokenize(req: JsonRequest): JsonReply {
    const card = (req.body as { card?: { number?: string } } | undefined)?.card;
    const digits = (card?.number ?? '').replace(/\D/g, '');
    if (digits.length < 13) return error(400, 'invalid_request_error', 'card.number is required');
    const token = `tok_${randomBytes(12).toString('hex')}`;
    this.record({ kind: 'token', token, last4: digits.slice(-4), ...(digits.endsWith('0002') ? { declineCode: 'generic_decline' } : {}) });
    return { status: 200, body: { id: token, card: { last4: digits.slice(-4) } } };
  }

  private refused(req: JsonRequest): JsonReply | undefined {
    return req.headers.authorization === `Bearer ${this.options.secretKey}`
      ? undefined
      : error(401, 'authentication_error', 'Invalid API key provided.');
  }

  private async charge(req: JsonRequest): Promise<JsonReply | undefined> {
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (this.faults.down || Math.random() < this.faults.errorRate)
      return error(503, 'api_error', 'The payment service is unavailable (sandbox fault).');
    const body = (req.body ?? {}) as {
      amount?: unknown;
      currency?: unknown;
      source?: unknown;
      description?: unknown;
      metadata?: Record<string, string>;
    };
    const key = req.headers['idempotency-key'];
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([body.amount, body.currency, body.source]))
      .digest('hex');
    if (typeof key === 'string') {
      const earlier = this.answers.get(key);
      if (earlier !== undefined)
        return earlier.fingerprint === fingerprint
          ? { ...earlier.reply, headers: { ...earlier.reply.headers, 'idempotent-replayed': 'true' } }
          : error(
              400,
              'idempotency_error',
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            );
    }
    const reply = this.decide(body);
    if (typeof key === 'string') this.record({ kind: 'answer', key, fingerprint, reply });
    if (reply.status === 200 && Math.random() < this.faults.timeoutAfterChargeRate) {
      await sleep(HANG_MS); // charged, never answered: the caller times out
      return undefined;
    }
    return reply;
  }

  private decide(body: {
    amount?: unknown;
    currency?: unknown;
    source?: unknown;
    description?: unknown;
    metadata?: Record<string, string>;
  }): JsonReply {
    if (typeof body.amount !== 'number' || !Number.isInteger(body.amount) || body.amount <= 0)
      return error(400, 'invalid_request_error', 'amount must be a positive integer in the currency’s minor unit');
    if (typeof body.currency !== 'string' || !/^[a-z]{3}$/.test(body.currency))
      return error(400, 'invalid_request_error', 'currency must be a lower-case ISO code');
    const token = typeof body.source === 'string' ? this.tokens.get(body.source) : undefined;
    if (token === undefined)
      return error(400, 'invalid_request_error', `No such token: '${String(body.source)}'`, { code: 'resource_missing' });
    if (token.used) return error(400, 'invalid_request_error', 'You cannot use a token more than once.', { code: 'token_already_used' });
    if (token.declineCode !== undefined)
      return error(402, 'card_error', DECLINE_MESSAGES[token.declineCode] ?? 'Your card was declined.', {
        code: 'card_declined',
        decline_code: token.declineCode,
      });
    const charge: Charge = {
      id: `ch_${randomBytes(12).toString('hex')}`,
      amount: body.amount,
      currency: body.currency,
      status: 'succeeded',
      captured: true,
      source: body.source as string,
      description: typeof body.description === 'string' ? body.description : '',
      metadata: body.metadata ?? {},
      created: new Date().toISOString(),
    };
    this.record({ kind: 'charge', charge });
    return { status: 200, body: charge };
  }
}
