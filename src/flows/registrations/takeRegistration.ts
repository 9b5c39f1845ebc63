import { createHash } from 'node:crypto';
import { QueueNames } from '../../config/queues';
import { containsCardNumber } from '../../domain/cardData';
import { confirmationIdOf, ConfirmationKinds, type ConfirmationRequest } from '../../domain/confirmation';
import { HubError } from '../../domain/HubError';
import { fromMinor, priceItems, registrationRequestSchema, toMinor, type PriceListEntry } from '../../domain/registration';
import { describeIssues } from '../../domain/validate';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { PaymentPort } from '../../ports/PaymentPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { RegistrationRecord, RegistrationsPort } from '../../ports/RegistrationsPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';

export interface TakeRegistrationDeps {
  prices: ReadonlyMap<string, PriceListEntry>;
  payments: PaymentPort;
  registrations: RegistrationsPort;
  sender: QueueSenderPort;
  /** The public status URL of a confirmation's orchestration (the durable client's management URLs). */
  statusUrlOf: (confirmationId: string) => string;
  now: () => Date;
}

/** What the intake answers: status, JSON body, headers. */
export interface IntakeAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Said when a request holds what looks like a card number, whatever the field. */
export const CARD_DATA_REFUSAL = 'send a payment token, not card data';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const refuse = (status: number, error: string, fields?: string[]): IntakeAnswer => ({
  status,
  body: { error, ...(fields === undefined ? {} : { fields }) },
});

/**
 * A registration from the payment intake (an event, a workshop, a membership sold outside the ECP):
 * checked, priced from the price list, charged through the payment provider (authorize and
 * capture, idempotent), and queued for its confirmation. The registration's id comes from the
 * request's `Idempotency-Key` (or, without one, from its single-use payment token), so a retried
 * request or a double-click charges once and answers as the first did. A body holding anything
 * like a card number is refused before anything of it is kept; the token is passed to the
 * provider and kept nowhere.
 */
export async function takeRegistration(
  rawBody: string,
  idempotencyKey: string | undefined,
  deps: TakeRegistrationDeps,
  journeys: JourneyRecorder,
): Promise<IntakeAnswer> {
  if (containsCardNumber(rawBody) || (idempotencyKey !== undefined && containsCardNumber(idempotencyKey)))
    return refuse(400, CARD_DATA_REFUSAL);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return refuse(400, 'the body is not JSON');
  }
  const parsed = registrationRequestSchema.safeParse(json);
  if (!parsed.success) return refuse(400, 'not a valid registration', describeIssues(parsed.error));
  const request = parsed.data;
  const { lines, problems } = priceItems(request, deps.prices);
  if (problems.length > 0) return refuse(400, 'not a valid registration', problems);

  const registrationId = `reg-${sha256(`registration:${idempotencyKey ?? request.paymentToken}`).slice(0, 20)}`;
  const journey = journeys.of({ orderId: registrationId, attempt: 1 });
  const now = deps.now().toISOString();
  let record: RegistrationRecord = {
    registrationId,
    fingerprint: sha256(JSON.stringify([request.registrant, request.items, request.currency, request.paymentToken])),
    state: 'charging',
    registrant: request.registrant,
    lines,
    currency: request.currency,
    amountMinor: lines.reduce((sum, line) => sum + toMinor(line.lineTotal), 0),
    createdAt: now,
    updatedAt: now,
  };
  const begun = await deps.registrations.begin(record);
  if (!begun.created) {
    if (begun.existing.fingerprint !== record.fingerprint)
      return refuse(422, 'this Idempotency-Key was used for another registration: send a new key with a new registration');
    record = begun.existing;
  }

  if (record.state === 'declined') return declined(record);
  if (record.state === 'charging') {
    let answer;
    try {
      answer = await deps.payments.charge({
        amountMinor: record.amountMinor,
        currency: record.currency,
        token: request.paymentToken,
        idempotencyKey: registrationId,
        description: lines.map((l) => `${l.quantity} × ${l.code}`).join(', '),
        metadata: { registrationId },
      });
    } catch (error) {
      if (!HubError.isHubError(error)) throw error;
      await journey({
        step: 'charge',
        outcome: error.transient ? JourneyOutcomes.RETRY : JourneyOutcomes.PARKED,
        code: error.code,
        detail: error.message,
      });
      if (error.transient)
        return {
          ...refuse(503, 'the payment provider is not answering: send the same request again, with the same Idempotency-Key'),
          headers: { 'retry-after': '5' },
        };
      return refuse(409, `the payment was refused: ${error.message}`);
    }
    if (answer.outcome === 'declined') {
      record = {
        ...record,
        state: 'declined',
        declined: { code: answer.code, reason: answer.reason },
        updatedAt: deps.now().toISOString(),
      };
      await deps.registrations.update(record);
      await journey({ step: 'charge', outcome: JourneyOutcomes.PARKED, code: answer.code, detail: `declined: ${answer.reason}` });
      return declined(record);
    }
    record = { ...record, state: 'charged', chargeId: answer.chargeId, updatedAt: deps.now().toISOString() };
    await deps.registrations.update(record);
    await journey({
      step: 'charge',
      outcome: JourneyOutcomes.OK,
      detail: `charged ${fromMinor(record.amountMinor).toFixed(2)} ${record.currency} (${answer.chargeId})`,
    });
  }

  const confirmationId = confirmationIdOf(ConfirmationKinds.REGISTRATION, registrationId);
  if (record.state === 'charged') {
    await deps.sender.send(QueueNames.CONFIRMATIONS, {
      body: { request: confirmationRequestOf(record) },
      messageId: confirmationId,
      sessionId: registrationId,
    });
    record = { ...record, state: 'queued', updatedAt: deps.now().toISOString() };
    await deps.registrations.update(record);
    await journey({ step: 'request-confirmation', outcome: JourneyOutcomes.OK, detail: confirmationId });
  }
  return {
    status: 201,
    body: {
      registrationId,
      reference: referenceOf(registrationId),
      status: 'paid',
      confirmationId,
      statusQueryGetUri: deps.statusUrlOf(confirmationId),
    },
    headers: { location: deps.statusUrlOf(confirmationId) },
  };
}

/** What the registrant is given to quote: short and readable. */
const referenceOf = (registrationId: string): string => `R-${registrationId.slice(4, 12).toUpperCase()}`;

function declined(record: RegistrationRecord): IntakeAnswer {
  return refuse(402, `the card was declined: ${record.declined?.reason ?? 'no reason given'}`, [
    `code: ${record.declined?.code ?? 'card_declined'}`,
  ]);
}

/** The confirmation of a paid registration: the registrant, the lines, the provider's charge id, never the token. */
function confirmationRequestOf(record: RegistrationRecord): ConfirmationRequest {
  return {
    kind: ConfirmationKinds.REGISTRATION,
    subjectId: record.registrationId,
    reference: referenceOf(record.registrationId),
    placedAt: record.createdAt,
    currency: record.currency,
    customer: record.registrant,
    lines: record.lines,
    totals: { gross: fromMinor(record.amountMinor) },
    payment: { method: 'card', ...(record.chargeId === undefined ? {} : { reference: record.chargeId }) },
  };
}
