import path from 'node:path';
import type { ConfirmationRequest } from '../../../../src/domain/confirmation';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { HubError } from '../../../../src/domain/HubError';
import { mailConfirmation, type MailConfirmationDeps } from '../../../../src/flows/confirmations/mailConfirmation';
import { recordConfirmation } from '../../../../src/flows/confirmations/recordConfirmation';
import { settleConfirmation } from '../../../../src/flows/confirmations/settleConfirmation';
import { subscribeCustomer } from '../../../../src/flows/confirmations/subscribeCustomer';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { loadTemplates } from '../../../../src/templates/loadTemplates';
import { FakeConfirmationMailer, FakeMailingList, InMemoryConfirmations } from '../../../support/confirmationFakes';
import { InMemoryJourney, InMemoryParked, RecordingLifecycle } from '../../../support/fakes';

const templates = loadTemplates(path.join(__dirname, '..', '..', '..', '..', 'templates'));
const request: ConfirmationRequest = {
  kind: 'order',
  subjectId: '10001',
  reference: '#10001',
  erpOrderId: 'SO-1',
  placedAt: '2026-11-30T10:00:00Z',
  currency: 'EUR',
  customer: { email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace', marketingConsent: true },
  lines: [{ code: 'MUG', description: 'Mug', quantity: 1, unitPrice: 12.5, lineTotal: 12.5 }],
  totals: { gross: 12.5 },
};
const ID = 'confirmation-order-10001';
const input = { confirmationId: ID, request };

function setup() {
  let now = Date.parse('2026-11-30T10:00:00.000Z');
  const journeys = new InMemoryJourney();
  const deps = {
    confirmations: new InMemoryConfirmations(),
    mailer: new FakeConfirmationMailer(),
    mailingList: new FakeMailingList(),
    templates,
    shop: { name: 'Shop', email: 'shop@example.com' },
    leaseMs: 600_000,
    parked: new InMemoryParked(),
    lifecycle: new RecordingLifecycle(),
    now: () => new Date(now),
  };
  const journey = new JourneyRecorder(journeys, 'test').of({ orderId: '10001', attempt: 1 });
  return { deps, journeys, journey, advance: (ms: number) => (now += ms) };
}

/** Runs the email branch the way Durable retries it: a transient failure is thrown to the caller. */
async function attempt(deps: MailConfirmationDeps, journey: ReturnType<typeof setup>['journey']) {
  return await mailConfirmation(input, deps, journey).catch((error: unknown) => error as HubError);
}

describe('the email branch sends each confirmation at most once', () => {
  it('sends the rendered mail with the confirmation id, and records SendGrid message id', async () => {
    const { deps, journey } = setup();
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'emailed', messageId: 'sg-1', sentBefore: false });
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({
        to: 'ada@example.com',
        confirmationId: ID,
        subject: 'Your order #10001 is confirmed',
        category: 'order-confirmation',
      }),
    ]);
    expect((await deps.confirmations.read(ID))?.record.email).toMatchObject({ state: 'sent', messageId: 'sg-1', attempts: 1 });
  });

  it('never mails again once sent: a replay, a redelivery or a re-run answers what was sent', async () => {
    const { deps, journey } = setup();
    await attempt(deps, journey);
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'emailed', messageId: 'sg-1', sentBefore: true });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('sends again at once after SendGrid said it did not take the mail (503)', async () => {
    const { deps, journey } = setup();
    deps.mailer.behaviours.push('fail503');
    expect(await attempt(deps, journey)).toMatchObject({ code: ErrorCodes.MAIL_FAILED, transient: true });
    expect((await deps.confirmations.read(ID))?.record.email?.state).toBe('notSent');
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'emailed', sentBefore: false });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('after a timeout (SendGrid may have taken it) waits out the lease, then finds the mail in the Email Activity instead of sending again', async () => {
    const { deps, journey, advance } = setup();
    deps.mailer.behaviours.push('timeoutAfterSending');
    expect(await attempt(deps, journey)).toMatchObject({ code: ErrorCodes.MAIL_FAILED, ambiguous: true });
    advance(5000);
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'waiting', until: '2026-11-30T10:10:00.000Z' });
    advance(600_000);
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'emailed', messageId: 'sg-1', sentBefore: true });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('after a timeout that never reached SendGrid, sends once the lease is out and the Email Activity has nothing', async () => {
    const { deps, journey, advance } = setup();
    deps.mailer.behaviours.push('timeoutBeforeSending');
    await attempt(deps, journey);
    advance(600_001);
    expect(await attempt(deps, journey)).toMatchObject({ outcome: 'emailed', sentBefore: false });
    expect(deps.mailer.sent).toHaveLength(1);
    expect((await deps.confirmations.read(ID))?.record.email?.attempts).toBe(2);
  });

  it('parks the branch for an operator (MAIL.UNCERTAIN) when SendGrid cannot say whether an earlier attempt sent it', async () => {
    const { deps, journey, advance } = setup();
    deps.mailer.behaviours.push('timeoutBeforeSending');
    deps.mailer.activitySearch = false;
    await attempt(deps, journey);
    advance(600_001);
    expect(await attempt(deps, journey)).toMatchObject({
      outcome: 'failed',
      code: ErrorCodes.MAIL_UNCERTAIN,
      reason: expect.stringContaining(ID) as unknown,
    });
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('takes a refusal (400) as a permanent failure of the branch, not an error', async () => {
    const { deps, journey } = setup();
    deps.mailer.behaviours.push('reject400');
    expect(await attempt(deps, journey)).toMatchObject({ branch: 'email', outcome: 'failed', code: ErrorCodes.MAIL_REJECTED });
  });

  it('two attempts at once: one sends, the other waits for it', async () => {
    const { deps, journey } = setup();
    const [a, b] = await Promise.all([attempt(deps, journey), attempt(deps, journey)]);
    expect([a, b].map((o) => (o as { outcome: string }).outcome).sort()).toEqual(['emailed', 'waiting']);
    expect(deps.mailer.sent).toHaveLength(1);
  });
});

describe('the save and mailing-list branches', () => {
  it('save upserts what was confirmed and to whom', async () => {
    const { deps, journey } = setup();
    expect(await recordConfirmation(input, deps, journey)).toEqual({ branch: 'save', outcome: 'saved', at: '2026-11-30T10:00:00.000Z' });
    await recordConfirmation(input, deps, journey);
    expect((await deps.confirmations.read(ID))?.record).toMatchObject({ request, savedAt: '2026-11-30T10:00:00.000Z' });
  });

  it('subscribes a customer who consented, skips one who did not, and records a compliance refusal as an answer', async () => {
    const { deps, journey } = setup();
    expect(await subscribeCustomer(input, deps, journey)).toEqual({ branch: 'mailingList', outcome: 'subscribed', status: 'subscribed' });
    const noConsent = { ...input, request: { ...request, customer: { ...request.customer, marketingConsent: false } } };
    expect(await subscribeCustomer(noConsent, deps, journey)).toEqual({
      branch: 'mailingList',
      outcome: 'skipped',
      reason: 'no marketing consent',
    });
    deps.mailingList.inComplianceState.add('ada@example.com');
    expect(await subscribeCustomer(input, deps, journey)).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('Member In Compliance State') as unknown,
    });
    expect(deps.mailingList.members.get('ada@example.com')?.upserts).toBe(1);
  });

  it('throws a transient Mailchimp failure for the retry options, and records it on the journey', async () => {
    const { deps, journey, journeys } = setup();
    deps.mailingList.failures.push(new HubError(ErrorCodes.MAILING_LIST_UNAVAILABLE, 'Mailchimp answered 503', { transient: true }));
    await expect(subscribeCustomer(input, deps, journey)).rejects.toMatchObject({ code: ErrorCodes.MAILING_LIST_UNAVAILABLE });
    expect(journeys.steps.at(-1)).toMatchObject({
      step: 'confirm-mailingList',
      outcome: 'retry',
      code: ErrorCodes.MAILING_LIST_UNAVAILABLE,
    });
  });
});

describe('concluding a confirmation', () => {
  it('publishes OrderConfirmed when every branch is done', async () => {
    const { deps, journey } = setup();
    const outcomes = [
      { branch: 'save', outcome: 'saved', at: 'x' },
      { branch: 'email', outcome: 'emailed', messageId: 'sg-1', at: 'x', sentBefore: false },
      { branch: 'mailingList', outcome: 'skipped', reason: 'no marketing consent' },
    ] as const;
    expect(await settleConfirmation({ confirmationId: ID, request, outcomes: [...outcomes] }, deps, journey)).toEqual({
      status: 'confirmed',
      parked: [],
    });
    expect(deps.lifecycle.events).toEqual([
      expect.objectContaining({
        id: '10001:OrderConfirmed',
        type: 'OrderConfirmed',
        data: expect.objectContaining({ confirmationId: ID, emailMessageId: 'sg-1' }) as unknown,
      }),
    ]);
    expect(deps.parked.messages.size).toBe(0);
  });

  it('parks a branch that failed for good, replayable alone, and publishes nothing until a re-run mends it', async () => {
    const { deps, journey } = setup();
    const failed = { branch: 'email', outcome: 'failed', code: ErrorCodes.MAIL_REJECTED, reason: 'SendGrid answered 400' } as const;
    const first = await settleConfirmation(
      { confirmationId: ID, request, outcomes: [{ branch: 'save', outcome: 'saved', at: 'x' }, failed] },
      deps,
      journey,
    );
    expect(first).toEqual({ status: 'needsAttention', parked: ['email'] });
    const [parked] = [...deps.parked.messages.values()];
    expect(parked).toMatchObject({
      source: 'confirmations',
      orderId: '10001',
      messageId: `${ID}:email`,
      code: ErrorCodes.MAIL_REJECTED,
      replayable: true,
    });
    expect(JSON.parse(parked?.payload ?? '{}')).toEqual({ request, branches: ['email'] });
    expect(deps.lifecycle.events).toEqual([]);

    const rerun = await settleConfirmation(
      { confirmationId: ID, request, outcomes: [{ branch: 'email', outcome: 'emailed', messageId: 'sg-2', at: 'y', sentBefore: false }] },
      deps,
      journey,
    );
    expect(rerun).toEqual({ status: 'confirmed', parked: [] });
    expect(deps.lifecycle.events.map((e) => e.type)).toEqual(['OrderConfirmed']);
  });
});
