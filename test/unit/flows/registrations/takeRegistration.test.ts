import path from 'node:path';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { CARD_DATA_REFUSAL, takeRegistration } from '../../../../src/flows/registrations/takeRegistration';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import type { ChargeAnswer, ChargeRequest, PaymentPort } from '../../../../src/ports/PaymentPort';
import type { RegistrationRecord, RegistrationsPort } from '../../../../src/ports/RegistrationsPort';
import { loadPriceList } from '../../../../src/registrations/loadPriceList';
import { InMemoryJourney, RecordingSender } from '../../../support/fakes';

const prices = loadPriceList(path.join(__dirname, '..', '..', '..', '..', 'prices', 'registrations.csv'));

/** A payment provider in memory, with idempotency keys as providers keep them. */
class FakePayments implements PaymentPort {
  readonly charges: ChargeRequest[] = [];
  readonly answers = new Map<string, ChargeAnswer>();
  failures: HubError[] = [];
  charge(request: ChargeRequest): Promise<ChargeAnswer> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    const earlier = this.answers.get(request.idempotencyKey);
    if (earlier !== undefined) return Promise.resolve(earlier);
    const answer: ChargeAnswer =
      request.token === 'tok_chargeDeclined'
        ? { outcome: 'declined', code: 'generic_decline', reason: 'Your card was declined.' }
        : { outcome: 'charged', chargeId: `ch_${this.charges.length + 1}` };
    if (answer.outcome === 'charged') this.charges.push(request);
    this.answers.set(request.idempotencyKey, answer);
    return Promise.resolve(answer);
  }
}

class InMemoryRegistrations implements RegistrationsPort {
  readonly rows = new Map<string, RegistrationRecord>();
  begin(record: RegistrationRecord) {
    const existing = this.rows.get(record.registrationId);
    if (existing !== undefined) return Promise.resolve({ created: false as const, existing: structuredClone(existing) });
    this.rows.set(record.registrationId, structuredClone(record));
    return Promise.resolve({ created: true as const });
  }
  update(record: RegistrationRecord) {
    this.rows.set(record.registrationId, structuredClone(record));
    return Promise.resolve();
  }
}

function setup() {
  const deps = {
    prices,
    payments: new FakePayments(),
    registrations: new InMemoryRegistrations(),
    sender: new RecordingSender(),
    statusUrlOf: (id: string) => `http://host/runtime/webhooks/durabletask/instances/${id}`,
    now: () => new Date('2026-11-30T10:00:00Z'),
  };
  const register = (body: unknown, key?: string) =>
    takeRegistration(
      typeof body === 'string' ? body : JSON.stringify(body),
      key,
      deps,
      new JourneyRecorder(new InMemoryJourney(), 'registrationIntake'),
    );
  return { deps, register };
}

const registration = {
  registrant: { givenName: 'Ana', familyName: 'Ruiz', email: 'ana@example.com', marketingConsent: true },
  items: [
    { code: 'WS-BREAD', quantity: 2 },
    { code: 'FAIR-CHILD', quantity: 1 },
  ],
  currency: 'EUR',
  paymentToken: 'tok_visa',
};

describe('the registration intake', () => {
  it('charges the priced total once and queues the registration, never the token, for its confirmation', async () => {
    const { deps, register } = setup();
    const answer = await register(registration, 'key-1');
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ registrationId: expect.stringMatching(/^reg-/) as unknown, status: 'paid' });
    expect(answer.body.statusQueryGetUri).toBe(
      `http://host/runtime/webhooks/durabletask/instances/confirmation-registration-${String(answer.body.registrationId)}`,
    );
    expect(deps.payments.charges).toEqual([
      expect.objectContaining({ amountMinor: 9500, currency: 'EUR', token: 'tok_visa', idempotencyKey: answer.body.registrationId }),
    ]);
    const [queued] = deps.sender.sent;
    expect(queued).toMatchObject({
      queue: 'confirmations',
      message: { messageId: `confirmation-registration-${String(answer.body.registrationId)}` },
    });
    expect(queued?.message.body).toMatchObject({
      request: {
        kind: 'registration',
        totals: { gross: 95 },
        payment: { method: 'card', reference: 'ch_1' },
        lines: [
          { code: 'WS-BREAD', lineTotal: 90 },
          { code: 'FAIR-CHILD', lineTotal: 5 },
        ],
      },
    });
    expect(JSON.stringify(queued)).not.toContain('tok_visa');
    expect(JSON.stringify([...deps.registrations.rows.values()])).not.toContain('tok_visa');
  });

  it('answers a repeated request (same Idempotency-Key) as the first, charging and queuing nothing more', async () => {
    const { deps, register } = setup();
    const first = await register(registration, 'key-1');
    const again = await register(registration, 'key-1');
    expect(again).toEqual(first);
    expect(deps.payments.charges).toHaveLength(1);
    expect(deps.sender.sent).toHaveLength(1);
  });

  it('without an Idempotency-Key, keys the registration by its single-use token: a double submit still charges once', async () => {
    const { deps, register } = setup();
    await register(registration);
    await register(registration);
    expect(deps.payments.charges).toHaveLength(1);
  });

  it('refuses a key reused for another registration (422)', async () => {
    const { register } = setup();
    await register(registration, 'key-1');
    expect((await register({ ...registration, items: [{ code: 'FAIR-DAY', quantity: 1 }] }, 'key-1')).status).toBe(422);
  });

  it('answers a decline with 402 and its reason, and again on a retry without charging', async () => {
    const { deps, register } = setup();
    const answer = await register({ ...registration, paymentToken: 'tok_chargeDeclined' }, 'key-2');
    expect(answer).toEqual({
      status: 402,
      body: { error: 'the card was declined: Your card was declined.', fields: ['code: generic_decline'] },
    });
    expect(await register({ ...registration, paymentToken: 'tok_chargeDeclined' }, 'key-2')).toEqual(answer);
    expect(deps.sender.sent).toHaveLength(0);
  });

  it('answers 503 with Retry-After while the provider is down; the retry charges once', async () => {
    const { deps, register } = setup();
    deps.payments.failures.push(new HubError(ErrorCodes.PAYMENT_UNAVAILABLE, 'the payment provider answered 503', { transient: true }));
    const down = await register(registration, 'key-3');
    expect(down).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    expect((await register(registration, 'key-3')).status).toBe(201);
    expect(deps.payments.charges).toHaveLength(1);
  });

  it.each([
    ['in a field of its own', { ...registration, cardNumber: '4242 4242 4242 4242' }],
    ['in a name', { ...registration, registrant: { ...registration.registrant, familyName: 'Ruiz 5555-5555-5555-4444' } }],
    ['as the token', { ...registration, paymentToken: '4000056655665556' }],
    ['as a number', { ...registration, items: [{ code: 'WS-BREAD', quantity: 4111111111111111 }] }],
  ])('refuses card data %s with 400, before anything is kept or charged', async (_, body) => {
    const { deps, register } = setup();
    expect(await register(body, 'key-4')).toEqual({ status: 400, body: { error: CARD_DATA_REFUSAL } });
    expect(deps.registrations.rows.size + deps.payments.charges.length + deps.sender.sent.length).toBe(0);
  });

  it('refuses an invalid body with 400 naming the fields: unknown fields (a CVC), unknown codes, another currency', async () => {
    const { register } = setup();
    expect((await register('{not json', 'k')).body).toEqual({ error: 'the body is not JSON' });
    expect((await register({ ...registration, cvc: '123' }, 'k')).body.fields).toEqual([expect.stringContaining('cvc')]);
    const { registrant: _r, ...noRegistrant } = registration;
    expect((await register(noRegistrant, 'k')).body.fields).toEqual([expect.stringContaining('registrant')]);
    expect((await register({ ...registration, items: [{ code: 'NOPE', quantity: 1 }] }, 'k')).body.fields).toEqual([
      "items.0.code: no item 'NOPE' in the price list",
    ]);
    expect((await register({ ...registration, currency: 'USD' }, 'k')).body.fields).toEqual([
      "items.0.code: 'WS-BREAD' is sold in EUR, not USD",
      "items.1.code: 'FAIR-CHILD' is sold in EUR, not USD",
    ]);
  });
});
