import { EventTypes, type HistoryEvent } from '../../../local/runtime/durable/durableProtocol';
import {
  completionsBefore,
  eventsAfter,
  eventsBefore,
  isCompletion,
  outboundOf,
  pendingOf,
} from '../../../local/runtime/durable/orchestrationEpisode';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const scheduled = (id: number, extra: Record<string, unknown> = {}): HistoryEvent => ({
  EventType: EventTypes.TaskScheduled,
  EventId: id,
  IsPlayed: true,
  Timestamp: NOW.toISOString(),
  Name: 'send',
  Input: '{"to":"a@example.com"}',
  Attempt: 1,
  ...extra,
});
const failed = (taskId: number): HistoryEvent => ({
  EventType: EventTypes.TaskFailed,
  EventId: -1,
  IsPlayed: false,
  Timestamp: '',
  TaskScheduledId: taskId,
  Reason: 'x',
  Details: '',
});
const retry = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3, backoffCoefficient: 2 };
const types = (events: HistoryEvent[]) => events.map((e) => e.EventType);

describe('an orchestration episode, as the Durable Task Framework writes it', () => {
  it('opens with OrchestratorStarted and the incoming event, stamped now and not yet played', () => {
    const events = eventsBefore([], { EventType: EventTypes.ExecutionStarted, EventId: -1, IsPlayed: true, Timestamp: 'then' }, NOW, {
      nextEventId: 0,
    });
    expect(events).toEqual([
      { EventType: EventTypes.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: NOW.toISOString() },
      { EventType: EventTypes.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: NOW.toISOString() },
    ]);
  });

  it('answers a failed attempt of an activity with retry options with a timer, numbered next, at the backoff interval', () => {
    const numbering = { nextEventId: 3 };
    const second = eventsBefore([scheduled(1, { RetryOptions: retry, Attempt: 2 })], failed(1), NOW, numbering);
    expect(second[2]).toMatchObject({ EventType: EventTypes.TimerCreated, EventId: 3, FireAt: at(2000), RetryOf: 1 });
    expect(numbering.nextEventId).toBe(4);
  });

  it('makes the timer after the last attempt too, firing at once, since the library waits for it before it gives up', () => {
    const numbering = { nextEventId: 7 };
    const events = eventsBefore([scheduled(1, { RetryOptions: retry, Attempt: 3 })], failed(1), NOW, numbering);
    expect(events[2]).toMatchObject({ EventType: EventTypes.TimerCreated, EventId: 7, FireAt: NOW.toISOString() });
  });

  it('makes no timer for an activity without retry options: the failure goes straight to the orchestrator', () => {
    expect(types(eventsBefore([scheduled(1)], failed(1), NOW, { nextEventId: 2 }))).toEqual([
      EventTypes.OrchestratorStarted,
      EventTypes.TaskFailed,
    ]);
  });

  it('schedules the next attempt when a retry timer fires while attempts remain, and none after the last', () => {
    const history = [
      scheduled(0, { RetryOptions: retry, Attempt: 2 }),
      { EventType: EventTypes.TimerCreated, EventId: 1, IsPlayed: true, Timestamp: '', FireAt: at(0), RetryOf: 0 },
    ];
    const fired: HistoryEvent = { EventType: EventTypes.TimerFired, EventId: -1, IsPlayed: false, Timestamp: '', TimerId: 1 };
    const numbering = { nextEventId: 2 };
    expect(eventsBefore(history, fired, NOW, numbering)[2]).toMatchObject({
      EventType: EventTypes.TaskScheduled,
      EventId: 2,
      Name: 'send',
      Attempt: 3,
      RetryOptions: retry,
    });
    const last = [scheduled(0, { RetryOptions: retry, Attempt: 3 }), history[1]!];
    expect(types(eventsBefore(last, fired, NOW, { nextEventId: 2 }))).toEqual([EventTypes.OrchestratorStarted, EventTypes.TimerFired]);
  });

  it('schedules only the actions the orchestrator had not asked for before (its actions are cumulative), opening Task.all', () => {
    const state = {
      isDone: false,
      actions: [
        [
          { actionType: 0, functionName: 'first', input: 'text' },
          {
            actionType: 12,
            compoundActions: [
              { actionType: 1, functionName: 'a', input: { n: 1 }, retryOptions: retry },
              { actionType: 5, fireAt: at(5000) },
            ],
          },
          { actionType: 6, externalEventName: 'Approved' },
        ],
      ],
    };
    const numbering = { nextEventId: 1 };
    const after = eventsAfter(state, 1, NOW, numbering);
    if ('unsupported' in after) throw new Error(after.unsupported);
    expect(after.actionsScheduled).toBe(4);
    expect(after.events).toEqual([
      expect.objectContaining({
        EventType: EventTypes.TaskScheduled,
        EventId: 1,
        Name: 'a',
        Input: '{"n":1}',
        RetryOptions: retry,
        Attempt: 1,
      }),
      expect.objectContaining({ EventType: EventTypes.TimerCreated, EventId: 2, FireAt: at(5000) }),
    ]);
    expect(numbering.nextEventId).toBe(3);
  });

  it('names an action it does not run', () => {
    expect(eventsAfter({ isDone: false, actions: [[{ actionType: 2, functionName: 'child' }]] }, 0, NOW, { nextEventId: 0 })).toEqual({
      unsupported: 'CallSubOrchestrator',
    });
  });

  it('sends a work item for each new task and a timer message for each new timer', () => {
    const out = outboundOf('i', 'e', [
      scheduled(4),
      { EventType: EventTypes.TimerCreated, EventId: 5, IsPlayed: false, Timestamp: '', FireAt: at(1000) },
    ]);
    expect(out).toEqual([
      { kind: 'activity', item: { instanceId: 'i', executionId: 'e', taskId: 4, name: 'send', input: '{"to":"a@example.com"}' } },
      {
        kind: 'timer',
        fireAt: at(1000),
        message: {
          instanceId: 'i',
          executionId: 'e',
          event: expect.objectContaining({ EventType: EventTypes.TimerFired, TimerId: 5, LocalKey: 'timer:5' }) as unknown,
        },
      },
    ]);
  });

  it('finds what is still awaited after a redelivery: tasks without a completion, timers not fired', () => {
    const history: HistoryEvent[] = [
      scheduled(0),
      scheduled(1),
      { EventType: EventTypes.TaskCompleted, EventId: -1, IsPlayed: true, Timestamp: '', TaskScheduledId: 0 },
      { EventType: EventTypes.TimerCreated, EventId: 2, IsPlayed: true, Timestamp: '', FireAt: at(0) },
      { EventType: EventTypes.TimerCreated, EventId: 3, IsPlayed: true, Timestamp: '', FireAt: at(0) },
      { EventType: EventTypes.TimerFired, EventId: -1, IsPlayed: true, Timestamp: '', TimerId: 3 },
    ];
    expect(
      pendingOf('i', 'e', history).map((o) =>
        o.kind === 'activity' ? `task ${o.item.taskId}` : `timer ${String(o.message.event.TimerId)}`,
      ),
    ).toEqual(['task 1', 'timer 2']);
  });

  it('takes completions that came in together after one OrchestratorStarted, in the order they came; only successes go together', () => {
    const done = (taskId: number): HistoryEvent => ({
      EventType: EventTypes.TaskCompleted,
      EventId: -1,
      IsPlayed: true,
      Timestamp: '',
      TaskScheduledId: taskId,
      Result: '1',
    });
    const events = completionsBefore([done(2), done(0), done(1)], NOW);
    expect(types(events)).toEqual([
      EventTypes.OrchestratorStarted,
      EventTypes.TaskCompleted,
      EventTypes.TaskCompleted,
      EventTypes.TaskCompleted,
    ]);
    expect(events.slice(1).map((e) => e.TaskScheduledId)).toEqual([2, 0, 1]);
    expect(events.every((e) => !e.IsPlayed && e.Timestamp === NOW.toISOString())).toBe(true);
    // A failure may bring the host's own retry events, numbered as the library replays: it goes alone.
    expect([isCompletion(done(1)), isCompletion(failed(1))]).toEqual([true, false]);
  });
});
