import type { CoreLog, FunctionRegistration, RpcTypedData } from '../functionsCore';
import type { InvocationResult } from '../invokeFunction';
import { jsonTextOf, stringData } from '../invokeFunction';
import {
  EventTypes,
  isFinished,
  stateOfFailure,
  UPPER_SCHEMA_VERSION,
  type HistoryEvent,
  type OrchestratorState,
  type RuntimeStatus,
} from './durableProtocol';
import { eventsAfter, eventsBefore, outboundOf, pendingOf, type ControlMessage } from './orchestrationEpisode';
import type { TaskHub } from './TaskHub';
import type { InstanceRecord, StoredInstance } from './TaskHubStore';

export type InvokeDurable = (
  registration: FunctionRegistration,
  inputData: { name: string; data: RpcTypedData }[],
) => Promise<InvocationResult>;

/** Timers the library would split into shorter ones never are here: the longest it takes as one. */
const MAXIMUM_SHORT_TIMER = '6.00:00:00';
const LONG_TIMER_INTERVAL = '3.00:00:00';

type RunOutcome = { state: OrchestratorState } | { failure: string; state?: OrchestratorState };

const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/**
 * Runs orchestrations episode by episode, as the Durable extension does: one control message (a
 * start, a task's completion, a timer, an external event, a termination) becomes new history, the
 * orchestrator function replays the whole history through the durable-functions library and
 * answers with its actions, the new tasks and timers are written to history and the instance row
 * (the commit point), and only then sent. A message whose event is already in the committed
 * history is a redelivery: what it would have sent is sent again, nothing is appended.
 */
export class OrchestrationDispatcher {
  constructor(
    private readonly hub: TaskHub,
    private readonly orchestrators: ReadonlyMap<string, FunctionRegistration>,
    private readonly invoke: InvokeDurable,
    private readonly log: CoreLog,
  ) {}

  async handle(message: ControlMessage): Promise<void> {
    const stored = await this.hub.store.read(message.instanceId);
    if (stored === undefined || stored.record.executionId !== message.executionId) {
      this.log(
        'debug',
        'durabletask',
        `dropped event ${message.event.EventType} for ${message.instanceId}: no such execution (purged or replaced)`,
      );
      return;
    }
    const { record } = stored;
    if (isFinished(record.runtimeStatus)) return; // a timer or a late completion of a finished orchestration
    const history = await this.hub.store.readHistory(record);
    const key = message.event.LocalKey;
    if (key !== undefined && history.some((e) => e.LocalKey === key)) {
      await this.hub.send(pendingOf(record.instanceId, record.executionId, history));
      return;
    }
    const now = new Date();
    const dueInMs = message.event.EventType === EventTypes.TimerFired ? Date.parse(String(message.event.FireAt)) - now.getTime() : 0;
    if (dueInMs > 1000) {
      // A timer further ahead than a storage queue hides a message: wait again.
      await this.hub.sendControl(message, dueInMs);
      return;
    }
    const numbering = { nextEventId: record.nextEventId };
    const before = eventsBefore(history, message.event, now, numbering);
    if (message.event.EventType === EventTypes.ExecutionTerminated) {
      const reason = typeof message.event.Input === 'string' ? message.event.Input : '';
      await this.finish(stored, [...before], 'Terminated', reason, now);
      return;
    }
    const started = [...history, ...before].some((e) => e.EventType === EventTypes.ExecutionStarted);
    if (!started) {
      // An event raised before the start was taken: kept in history for the orchestrator to find.
      await this.hub.store.commit(stored, before, { ...record, nextEventId: numbering.nextEventId, lastUpdatedTime: now.toISOString() });
      return;
    }
    const registration = this.orchestrators.get(record.name);
    if (registration === undefined) {
      await this.finish(
        stored,
        before,
        'Failed',
        `The function '${record.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        now,
      );
      return;
    }
    const outcome = await this.run(registration, record, history, before);
    if ('failure' in outcome) {
      await this.finish(stored, before, 'Failed', `Orchestrator function '${record.name}' failed: ${outcome.failure}`, now, outcome.state);
      return;
    }
    const { state } = outcome;
    const after = eventsAfter(state, record.actionsScheduled, now, numbering);
    if ('unsupported' in after) {
      await this.finish(
        stored,
        before,
        'Failed',
        `the local runtime does not run ${after.unsupported} actions (orchestrator '${record.name}')`,
        now,
        state,
      );
      return;
    }
    if (state.isDone) {
      await this.finish(stored, [...before, ...after.events], 'Completed', state.output, now, state);
      return;
    }
    const events = [...before, ...after.events, this.event(EventTypes.OrchestratorCompleted, now)];
    await this.hub.store.commit(stored, events, {
      ...record,
      runtimeStatus: 'Running',
      nextEventId: numbering.nextEventId,
      actionsScheduled: after.actionsScheduled,
      lastUpdatedTime: now.toISOString(),
      ...this.customStatusOf(state),
    });
    await this.hub.send(outboundOf(record.instanceId, record.executionId, events));
  }

  private event(type: number, now: Date, fields: Record<string, unknown> = {}): HistoryEvent {
    return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: now.toISOString(), ...fields };
  }

  private customStatusOf(state: OrchestratorState | undefined): Pick<InstanceRecord, 'customStatus'> {
    const text = json(state?.customStatus);
    return text === undefined ? {} : { customStatus: text };
  }

  /** Replays the history through the orchestrator function, as the extension invokes it out of process. */
  private async run(
    registration: FunctionRegistration,
    record: InstanceRecord,
    history: HistoryEvent[],
    before: HistoryEvent[],
  ): Promise<RunOutcome> {
    const binding = {
      history: [...history.map((e) => ({ ...e, IsPlayed: true })), ...before],
      input: record.input === undefined ? undefined : (JSON.parse(record.input) as unknown),
      instanceId: record.instanceId,
      isReplaying: history.length > 0,
      parentInstanceId: null,
      upperSchemaVersion: UPPER_SCHEMA_VERSION,
      maximumShortTimerDuration: MAXIMUM_SHORT_TIMER,
      longRunningTimerIntervalDuration: LONG_TIMER_INTERVAL,
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    try {
      const result = await this.invoke(registration, [{ name: registration.trigger.name, data: stringData(JSON.stringify(binding)) }]);
      const state = JSON.parse(jsonTextOf(result.returnValue)) as OrchestratorState | null;
      return state === null ? { failure: 'the orchestrator returned no state' } : { state };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const { message: before, state } = stateOfFailure(message);
      return state === undefined ? { failure: before } : { failure: state.error ?? before, state };
    }
  }

  /** Ends the execution: ExecutionCompleted (or the termination) written, the instance row finished. */
  private async finish(
    stored: StoredInstance,
    events: HistoryEvent[],
    status: Extract<RuntimeStatus, 'Completed' | 'Failed' | 'Terminated'>,
    output: unknown,
    now: Date,
    state?: OrchestratorState,
  ): Promise<void> {
    const result = json(output) ?? 'null';
    // A termination is its own last event (ExecutionTerminated, already among `events`).
    const final =
      status === 'Terminated' ? [] : [this.event(EventTypes.ExecutionCompleted, now, { OrchestrationStatus: status, Result: result })];
    await this.hub.store.commit(stored, [...events, ...final, this.event(EventTypes.OrchestratorCompleted, now)], {
      ...stored.record,
      runtimeStatus: status,
      output: result,
      lastUpdatedTime: now.toISOString(),
      ...this.customStatusOf(state),
    });
    if (status !== 'Completed') this.log('warning', 'durabletask', `${stored.record.instanceId} ${status.toLowerCase()}: ${result}`);
  }
}
