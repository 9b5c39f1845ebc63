import type { ConfirmationRequest } from '../../../../src/domain/confirmation';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import type { ConfirmationInput } from '../../../../src/flows/confirmations/confirmationInput';
import { startConfirmation, type ConfirmationOrchestrationsPort } from '../../../../src/flows/confirmations/startConfirmation';
import type { HubMessage } from '../../../../src/flows/shared/hubMessage';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { InMemoryClaimChecks, InMemoryJourney, InMemoryParked, RecordingSender } from '../../../support/fakes';

const request: ConfirmationRequest = {
  kind: 'order',
  subjectId: '10001',
  reference: '#10001',
  placedAt: '2026-11-30T10:00:00Z',
  currency: 'EUR',
  customer: { email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace', marketingConsent: true },
  lines: [{ code: 'MUG', description: 'Mug', quantity: 1, unitPrice: 12.5, lineTotal: 12.5 }],
  totals: { gross: 12.5 },
};

/** Durable instances in memory, with the extension's rule: a start replaces a finished instance and is refused while one runs. */
class FakeOrchestrations implements ConfirmationOrchestrationsPort {
  readonly instances = new Map<string, { status: 'running' | 'finished'; input: ConfirmationInput; starts: number }>();
  statusOf(id: string): Promise<'none' | 'running' | 'finished'> {
    return Promise.resolve(this.instances.get(id)?.status ?? 'none');
  }
  start(id: string, input: ConfirmationInput) {
    const existing = this.instances.get(id);
    if (existing?.status === 'running') return Promise.resolve('conflict' as const);
    this.instances.set(id, { status: 'running', input, starts: (existing?.starts ?? 0) + 1 });
    return Promise.resolve('started' as const);
  }
}

function setup() {
  const deps = {
    orchestrations: new FakeOrchestrations(),
    claimChecks: new InMemoryClaimChecks(),
    parked: new InMemoryParked(),
    sender: new RecordingSender(),
    retryPolicy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 },
    branchRetry: { firstRetryIntervalMs: 5000, maxAttempts: 6, maxRetryIntervalMs: 300_000 },
    now: () => new Date('2026-11-30T10:00:00Z'),
    random: () => 0.5,
  };
  return { deps, journeys: new JourneyRecorder(new InMemoryJourney(), 'confirmationStarter') };
}

const message = (body: unknown, attempt = 1): HubMessage => ({
  body,
  messageId: 'confirmation-order-10001',
  sessionId: '10001',
  attempt,
  applicationProperties: {},
});

describe('starting a confirmation', () => {
  it('starts the orchestration under the confirmation id, with all branches and the retry options', async () => {
    const { deps, journeys } = setup();
    expect(await startConfirmation(message({ request }), deps, journeys)).toBe('started');
    expect(deps.orchestrations.instances.get('confirmation-order-10001')?.input).toEqual({
      request,
      branches: ['save', 'email', 'mailingList'],
      retry: deps.branchRetry,
    });
  });

  it('leaves an instance that exists alone, running or finished (Durable would replace a finished one)', async () => {
    const { deps, journeys } = setup();
    await startConfirmation(message({ request }), deps, journeys);
    expect(await startConfirmation(message({ request }), deps, journeys)).toBe('alreadyStarted');
    deps.orchestrations.instances.get('confirmation-order-10001')!.status = 'finished';
    expect(await startConfirmation(message({ request }), deps, journeys)).toBe('alreadyStarted');
    expect(deps.orchestrations.instances.get('confirmation-order-10001')?.starts).toBe(1);
  });

  it('runs a replayed branch again alone once the instance has finished, and waits (re-scheduled) while it runs', async () => {
    const { deps, journeys } = setup();
    await startConfirmation(message({ request }), deps, journeys);
    expect(await startConfirmation(message({ request, branches: ['email'] }), deps, journeys)).toBe('retryScheduled');
    expect(deps.sender.sent[0]).toMatchObject({
      queue: 'confirmations',
      message: { sessionId: '10001', applicationProperties: { attempt: 2 } },
    });
    deps.orchestrations.instances.get('confirmation-order-10001')!.status = 'finished';
    expect(await startConfirmation(message({ request, branches: ['email'] }, 2), deps, journeys)).toBe('rerun');
    expect(deps.orchestrations.instances.get('confirmation-order-10001')?.input.branches).toEqual(['email']);
  });

  it('parks a message that is not a confirmation request, naming the fields, and starts nothing', async () => {
    const { deps, journeys } = setup();
    const { customer: _c, ...withoutCustomer } = request;
    expect(await startConfirmation(message({ request: withoutCustomer }), deps, journeys)).toBe('parked');
    const [parked] = [...deps.parked.messages.values()];
    expect(parked).toMatchObject({ source: 'confirmations', code: ErrorCodes.CONFIRMATION_INVALID, replayable: false });
    expect(parked?.reason).toContain('request.customer');
    expect(deps.orchestrations.instances.size).toBe(0);
  });
});
