import {
  ActionTypes,
  EventTypes,
  inputText,
  leafActions,
  retryDelayMs,
  type HistoryEvent,
  type OrchestratorState,
  type RetryOptions,
} from './durableProtocol';

/** A message on a control queue: one event for one execution of an instance. */
export interface ControlMessage {
  instanceId: string;
  executionId: string;
  event: HistoryEvent;
}

/** A message on the work-item queue: run an activity for a task of an orchestration. */
export interface WorkItem {
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  /** JSON text. */
  input: string;
}

/** What an episode sends once it has committed. */
export type Outbound = { kind: 'activity'; item: WorkItem } | { kind: 'timer'; message: ControlMessage; fireAt: string };

/** What a scheduled task carries in its TaskScheduled event, so that a failure can be retried as the orchestrator asked. */
interface ScheduledTask extends HistoryEvent {
  Name: string;
  Input: string;
  RetryOptions?: RetryOptions;
  /** 1 for the first attempt. */
  Attempt: number;
}

/** A timer the host made to wait before an activity's next attempt. */
interface RetryTimer extends HistoryEvent {
  FireAt: string;
  RetryOf?: number;
}

/** The key that tells a redelivered control message from a new one. */
export const LocalKeys = {
  started: 'started',
  terminated: 'terminated',
  taskDone: (taskId: number) => `done:${taskId}`,
  timerFired: (timerId: number) => `timer:${timerId}`,
  raised: (id: string) => `raised:${id}`,
};

function event(type: number, now: Date, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: now.toISOString(), ...fields };
}

function scheduledTask(history: readonly HistoryEvent[], taskId: number): ScheduledTask | undefined {
  return history.find((e): e is ScheduledTask => e.EventType === EventTypes.TaskScheduled && e.EventId === taskId);
}

export interface Numbering {
  /** The sequence number the next task or timer gets. */
  nextEventId: number;
}

/**
 * The events an incoming one brings into history before the orchestrator runs, as the Durable Task
 * Framework writes them: OrchestratorStarted, the event, and for an activity with retry options the
 * retry's own steps. A failed attempt gets a timer (TaskFailed → TimerCreated), made at once after
 * the last attempt, since the library waits for that timer before it gives up; the timer's firing
 * schedules the next attempt (TimerFired → TaskScheduled) while attempts remain. Numbers are given
 * in the order the library gives them as it replays, one incoming event per episode.
 */
export function eventsBefore(history: readonly HistoryEvent[], incoming: HistoryEvent, now: Date, numbering: Numbering): HistoryEvent[] {
  const events = [event(EventTypes.OrchestratorStarted, now), { ...incoming, IsPlayed: false, Timestamp: now.toISOString() }];
  if (incoming.EventType === EventTypes.TaskFailed) {
    const task = scheduledTask(history, Number(incoming.TaskScheduledId));
    if (task?.RetryOptions !== undefined) {
      const attemptsLeft = task.Attempt < task.RetryOptions.maxNumberOfAttempts;
      const fireAt = new Date(now.getTime() + (attemptsLeft ? retryDelayMs(task.RetryOptions, task.Attempt) : 0));
      events.push(event(EventTypes.TimerCreated, now, { FireAt: fireAt.toISOString(), RetryOf: task.EventId }, numbering.nextEventId++));
    }
  }
  if (incoming.EventType === EventTypes.TimerFired) {
    const timer = history.find((e): e is RetryTimer => e.EventType === EventTypes.TimerCreated && e.EventId === incoming.TimerId);
    const task = timer?.RetryOf === undefined ? undefined : scheduledTask(history, timer.RetryOf);
    if (task?.RetryOptions !== undefined && task.Attempt < task.RetryOptions.maxNumberOfAttempts) {
      const { Name, Input, RetryOptions, Attempt } = task;
      events.push(event(EventTypes.TaskScheduled, now, { Name, Input, RetryOptions, Attempt: Attempt + 1 }, numbering.nextEventId++));
    }
  }
  return events;
}

/** An incoming event that can be taken with others like it in one replay: an activity's success, which brings no event of the host's own. */
export function isCompletion(incoming: HistoryEvent): boolean {
  return incoming.EventType === EventTypes.TaskCompleted;
}

/**
 * The events several completions bring into history, taken in one replay as the extension takes an
 * instance's waiting messages in one episode: OrchestratorStarted, then each in the order they came.
 */
export function completionsBefore(incoming: readonly HistoryEvent[], now: Date): HistoryEvent[] {
  return [event(EventTypes.OrchestratorStarted, now), ...incoming.map((e) => ({ ...e, IsPlayed: false, Timestamp: now.toISOString() }))];
}

/** Action types this backend runs; any other fails the orchestration, naming it. */
const ACTION_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ActionTypes).map(([name, type]) => [type, name]));

export type AfterRun = { events: HistoryEvent[]; actionsScheduled: number } | { unsupported: string };

/**
 * The events the orchestrator's answer adds: a TaskScheduled or TimerCreated for each action it
 * has not scheduled before (its actions are cumulative), numbered in order.
 */
export function eventsAfter(state: OrchestratorState, actionsScheduled: number, now: Date, numbering: Numbering): AfterRun {
  const actions = leafActions(state);
  const events: HistoryEvent[] = [];
  for (const action of actions.slice(actionsScheduled)) {
    switch (action.actionType) {
      case ActionTypes.CallActivity:
      case ActionTypes.CallActivityWithRetry:
        events.push(
          event(
            EventTypes.TaskScheduled,
            now,
            {
              Name: action.functionName,
              Input: inputText(action),
              ...(action.retryOptions === undefined ? {} : { RetryOptions: action.retryOptions }),
              Attempt: 1,
            },
            numbering.nextEventId++,
          ),
        );
        break;
      case ActionTypes.CreateTimer:
        events.push(event(EventTypes.TimerCreated, now, { FireAt: action.fireAt }, numbering.nextEventId++));
        break;
      case ActionTypes.WaitForExternalEvent:
        break; // nothing to do until the event is raised
      default:
        return { unsupported: ACTION_NAMES[action.actionType] ?? `action type ${action.actionType}` };
    }
  }
  return { events, actionsScheduled: actions.length };
}

/** What to send for the tasks and timers among `events`. */
export function outboundOf(instanceId: string, executionId: string, events: readonly HistoryEvent[]): Outbound[] {
  const outbound: Outbound[] = [];
  for (const e of events) {
    if (e.EventType === EventTypes.TaskScheduled) {
      const task = e as ScheduledTask;
      outbound.push({ kind: 'activity', item: { instanceId, executionId, taskId: task.EventId, name: task.Name, input: task.Input } });
    } else if (e.EventType === EventTypes.TimerCreated) {
      const { FireAt } = e as RetryTimer;
      const fired = event(EventTypes.TimerFired, new Date(), { TimerId: e.EventId, FireAt, LocalKey: LocalKeys.timerFired(e.EventId) });
      outbound.push({ kind: 'timer', message: { instanceId, executionId, event: fired }, fireAt: FireAt });
    }
  }
  return outbound;
}

/**
 * What is still awaited: tasks without a completion and timers that have not fired. Sent again when
 * a redelivered message finds its event committed, in case the episode that committed it stopped
 * before sending (a duplicate is harmless: activities run at least once, events are applied once).
 */
export function pendingOf(instanceId: string, executionId: string, history: readonly HistoryEvent[]): Outbound[] {
  const done = new Set<string>();
  for (const e of history) {
    if (e.EventType === EventTypes.TaskCompleted || e.EventType === EventTypes.TaskFailed) done.add(`task:${String(e.TaskScheduledId)}`);
    if (e.EventType === EventTypes.TimerFired) done.add(`timer:${String(e.TimerId)}`);
  }
  const awaited = history.filter(
    (e) =>
      (e.EventType === EventTypes.TaskScheduled && !done.has(`task:${e.EventId}`)) ||
      (e.EventType === EventTypes.TimerCreated && !done.has(`timer:${e.EventId}`)),
  );
  return outboundOf(instanceId, executionId, awaited);
}

/** The message that starts an instance's execution (its ExecutionStarted). */
export function startedMessage(record: {
  instanceId: string;
  executionId: string;
  name: string;
  input?: string;
  createdTime: string;
}): ControlMessage {
  return {
    instanceId: record.instanceId,
    executionId: record.executionId,
    event: {
      EventType: EventTypes.ExecutionStarted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: record.createdTime,
      Name: record.name,
      Input: record.input,
      OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: record.executionId },
      LocalKey: LocalKeys.started,
    },
  };
}
