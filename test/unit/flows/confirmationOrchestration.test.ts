import type { BranchOutcome, ConfirmationRequest } from '../../../src/domain/confirmation';
import type { ConfirmationInput } from '../../../src/flows/confirmations/confirmationInput';

/**
 * The confirmation orchestrator replayed through durable-functions' own code, over histories as
 * the Durable extension records them: what it asks for next, and what it answers once done.
 * `@azure/functions` registrations are captured so that the handler is the one the library builds.
 */
const registered = new Map<string, (trigger: unknown, context: unknown) => Promise<unknown>>();
jest.mock('@azure/functions', () => {
  const actual = jest.requireActual<typeof import('@azure/functions')>('@azure/functions');
  return {
    ...actual,
    app: {
      ...actual.app,
      generic: (name: string, options: { handler: (trigger: unknown, context: unknown) => Promise<unknown> }) =>
        registered.set(name, options.handler),
    },
  };
});
// After the mock, so that the registration is captured.
import '../../../src/flows/confirmations/confirmation';
import { InvocationContext } from '@azure/functions';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const request: ConfirmationRequest = {
  kind: 'order',
  subjectId: '10001',
  reference: '#10001',
  erpOrderId: 'SO-1',
  placedAt: at(0),
  currency: 'EUR',
  customer: { email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace', marketingConsent: false },
  lines: [{ code: 'MUG', description: 'Mug', quantity: 1, unitPrice: 12.5, lineTotal: 12.5 }],
  totals: { gross: 12.5 },
};
const input: ConfirmationInput = {
  request,
  branches: ['save', 'email', 'mailingList'],
  retry: { firstRetryIntervalMs: 1000, maxAttempts: 2, maxRetryIntervalMs: 60_000 },
};
const ID = 'confirmation-order-10001';

/** History events as the extension writes them (the library reads completions, failures and timers by id). */
let clock = 0;
const e = (EventType: number, fields: Record<string, unknown> = {}, EventId = -1) => ({
  EventType,
  EventId,
  IsPlayed: true,
  Timestamp: at(clock++),
  ...fields,
});
const H = {
  started: () => [e(12), e(0, { Name: 'confirmation', Input: JSON.stringify(input) })],
  episode: () => e(12),
  scheduled: (id: number, name: string) => e(4, { Name: name }, id),
  completed: (id: number, result: unknown) => e(5, { TaskScheduledId: id, Result: JSON.stringify(result) }),
  failed: (id: number, reason: string) => e(6, { TaskScheduledId: id, Reason: reason, Details: 'stack' }),
  timerCreated: (id: number) => e(10, { FireAt: at(clock) }, id),
  timerFired: (id: number) => e(11, { TimerId: id, FireAt: at(clock) }),
};

interface State {
  isDone: boolean;
  actions: {
    actionType: number;
    functionName?: string;
    input?: unknown;
    retryOptions?: unknown;
    compoundActions?: { functionName: string }[];
  }[][];
  output?: { status: string; outcomes: BranchOutcome[] };
  customStatus?: { stage: string; branches: Record<string, string> };
}

async function replay(history: unknown[]): Promise<State> {
  const handler = registered.get('confirmation');
  if (handler === undefined) throw new Error('the orchestration did not register');
  try {
    // What the extension binds (replay schema V3: timers need the long-timer settings).
    const binding = {
      history,
      input,
      instanceId: ID,
      isReplaying: false,
      upperSchemaVersion: 2,
      maximumShortTimerDuration: '6.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
    };
    return (await handler(binding, new InvocationContext())) as State;
  } catch (error) {
    throw new Error(`the orchestrator failed: ${(error as Error).message.slice(-1500)}`);
  }
}

const saved: BranchOutcome = { branch: 'save', outcome: 'saved', at: at(1) };
const emailed: BranchOutcome = { branch: 'email', outcome: 'emailed', messageId: 'sg-1', at: at(1), sentBefore: false };
const skipped: BranchOutcome = { branch: 'mailingList', outcome: 'skipped', reason: 'no marketing consent' };
const fannedOut = () => [
  ...H.started(),
  H.scheduled(0, 'saveConfirmation'),
  H.scheduled(1, 'sendConfirmationEmail'),
  H.scheduled(2, 'addToMailingList'),
];
const lastAction = (state: State) => state.actions.flat().at(-1);

describe('the confirmation orchestrator, replayed from recorded histories', () => {
  beforeEach(() => (clock = 0));

  it('fans out to the three branches at once, each with the retry options, and says so in its custom status', async () => {
    const state = await replay(H.started());
    expect(state.isDone).toBe(false);
    expect(state.actions).toHaveLength(1);
    const [all] = state.actions[0] ?? [];
    expect(all).toMatchObject({ actionType: 12 });
    expect(all?.compoundActions?.map((a) => a.functionName)).toEqual(['saveConfirmation', 'sendConfirmationEmail', 'addToMailingList']);
    expect(all?.compoundActions?.[1]).toMatchObject({
      actionType: 1,
      input: { confirmationId: ID, request },
      retryOptions: {
        firstRetryIntervalInMilliseconds: 1000,
        maxNumberOfAttempts: 2,
        backoffCoefficient: 2,
        maxRetryIntervalInMilliseconds: 60_000,
      },
    });
    expect(state.customStatus).toEqual({ stage: 'confirming', branches: { save: 'running', email: 'running', mailingList: 'running' } });
  });

  it('waits for every branch before concluding, then concludes with what each did', async () => {
    const two = await replay([...fannedOut(), H.episode(), H.completed(2, skipped), H.episode(), H.completed(0, saved)]);
    expect(two.actions.flat()).toHaveLength(1); // still only the fan-out
    const all = [
      ...fannedOut(),
      H.episode(),
      H.completed(2, skipped),
      H.episode(),
      H.completed(0, saved),
      H.episode(),
      H.completed(1, emailed),
    ];
    const state = await replay(all);
    expect(state.isDone).toBe(false);
    expect(lastAction(state)).toMatchObject({
      functionName: 'concludeConfirmation',
      input: { confirmationId: ID, outcomes: [saved, emailed, skipped] },
    });
    expect(state.customStatus?.branches).toEqual({
      save: `saved at ${at(1)}`,
      email: 'emailed (SendGrid message sg-1)',
      mailingList: 'skipped: no marketing consent',
    });

    const done = await replay([
      ...all,
      H.scheduled(3, 'concludeConfirmation'),
      H.episode(),
      H.completed(3, { status: 'confirmed', parked: [] }),
    ]);
    expect(done.isDone).toBe(true);
    expect(done.output).toEqual({ confirmationId: ID, status: 'confirmed', outcomes: [saved, emailed, skipped] });
    expect(done.customStatus?.stage).toBe('confirmed');
  });

  it('takes a branch retried after a transient failure (TaskFailed → TimerCreated → TimerFired → TaskScheduled) as any other', async () => {
    const history = [
      ...fannedOut(),
      H.episode(),
      H.failed(1, "Activity function 'sendConfirmationEmail' failed: SendGrid answered 503"),
      H.timerCreated(3),
      H.episode(),
      H.completed(0, saved),
      H.episode(),
      H.completed(2, skipped),
      H.episode(),
      H.timerFired(3),
      H.scheduled(4, 'sendConfirmationEmail'),
      H.episode(),
      H.completed(4, emailed),
    ];
    const state = await replay(history);
    expect(lastAction(state)).toMatchObject({ functionName: 'concludeConfirmation', input: { outcomes: [saved, emailed, skipped] } });
  });

  it('lets a branch that fails for good neither cancel nor undo the others: it is concluded as failed, with its last error', async () => {
    const history = [
      ...fannedOut(),
      H.episode(),
      H.failed(1, "Activity function 'sendConfirmationEmail' failed: SendGrid answered 503 \n stack"),
      H.timerCreated(3),
      H.episode(),
      H.timerFired(3),
      H.scheduled(4, 'sendConfirmationEmail'),
      H.episode(),
      H.failed(4, "Activity function 'sendConfirmationEmail' failed: SendGrid answered 429"),
      H.timerCreated(5),
      H.episode(),
      H.timerFired(5), // the last attempt's timer: the library gives up when it fires
      H.episode(),
      H.completed(0, saved),
    ];
    const waiting = await replay(history);
    expect(waiting.actions.flat().some((a) => a.functionName === 'concludeConfirmation')).toBe(false); // the list branch still runs
    const state = await replay([...history, H.episode(), H.completed(2, skipped)]);
    const conclude = lastAction(state) as { input: { outcomes: BranchOutcome[] } };
    expect(conclude.input.outcomes).toEqual([
      saved,
      {
        branch: 'email',
        outcome: 'failed',
        code: 'CONFIRMATION.RETRIES_EXHAUSTED',
        reason: expect.stringContaining(
          "still failing after 2 attempts: Activity function 'sendConfirmationEmail' failed: SendGrid answered 429",
        ) as unknown,
      },
      skipped,
    ]);
  });

  it('waits on a durable timer when the email branch must check an earlier send, then asks again', async () => {
    const waiting = { branch: 'email', outcome: 'waiting', until: at(600), reason: 'an attempt began sending it' };
    const history = [
      ...fannedOut(),
      H.episode(),
      H.completed(0, saved),
      H.episode(),
      H.completed(2, skipped),
      H.episode(),
      H.completed(1, waiting),
    ];
    const state = await replay(history);
    expect(lastAction(state)).toMatchObject({ actionType: 5, fireAt: new Date(at(600)) });
    const asked = await replay([...history, H.timerCreated(3), H.episode(), H.timerFired(3)]);
    expect(lastAction(asked)).toMatchObject({ actionType: 1, functionName: 'sendConfirmationEmail' });
  });

  it('replayed whole after it finished, answers the same and asks for nothing new', async () => {
    const all = [
      ...fannedOut(),
      H.episode(),
      H.completed(0, saved),
      H.completed(1, emailed),
      H.completed(2, skipped),
      H.scheduled(3, 'concludeConfirmation'),
      H.episode(),
      H.completed(3, { status: 'confirmed', parked: [] }),
    ];
    const first = await replay(all);
    const again = await replay(all);
    expect(again).toEqual(first);
    expect(again.isDone).toBe(true);
    expect(again.actions.flat().map((a) => a.actionType)).toEqual([12, 1]);
  });
});
