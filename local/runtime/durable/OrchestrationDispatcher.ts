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
import {
  completionsBefore,
  eventsAfter,
  eventsBefore,
  isCompletion,
  outboundOf,
  pendingOf,
  type ControlMessage,
  type Outbound,
  type WorkItem,
} from './orchestrationEpisode';
import type { TaskHub } from './TaskHub';
import { NOT_WRITTEN, type InstanceRecord, type StoredInstance } from './TaskHubStore';
import { RestError } from '@azure/data-tables';

/** A first episode's row could not be created: an instance with the id is in storage. */
class InstanceIdTaken extends Error {
  constructor(instanceId: string) {
    super(`an instance with ID '${instanceId}' is in storage`);
  }
}

const isConflict = (error: unknown): boolean => error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409);

export type InvokeDurable = (
  registration: FunctionRegistration,
  inputData: { name: string; data: RpcTypedData }[],
) => Promise<InvocationResult>;

/** Timers the library would split into shorter ones never are here: the longest it takes as one. */
const MAXIMUM_SHORT_TIMER = '6.00:00:00';
const LONG_TIMER_INTERVAL = '3.00:00:00';

/**
 * How long an episode waits, at most, for the other outcomes of a fan-out, so that one episode takes
 * them together (as the extension takes the messages an instance has waiting in one batch): briefly
 * for outcomes that come through the queues, longer for activities still running in this process,
 * whose outcomes come straight here the moment they end.
 */
const FAN_IN_WAIT_MS = 10;
const FAN_IN_WAIT_RUNNING_HERE_MS = 250;

/** Instances kept in memory between episodes, as the extension's extended sessions keep them (the oldest dropped past this). */
const CACHED_INSTANCES = 5000;

type RunOutcome = { state: OrchestratorState } | { failure: string; state?: OrchestratorState };

const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

const event = (type: number, now: Date, fields: Record<string, unknown> = {}): HistoryEvent => ({
  EventType: type,
  EventId: -1,
  IsPlayed: false,
  Timestamp: now.toISOString(),
  ...fields,
});

/** An instance's messages waiting for its next episode, who waits for them, and who waits for more of them. */
interface Inbox {
  messages: ControlMessage[];
  callers: { resolve: () => void; reject: (error: unknown) => void }[];
  arrived?: () => void;
}

/** One episode in the making: the committed history, what this episode adds, and the instance as it will be. */
interface Episode {
  history: HistoryEvent[];
  added: HistoryEvent[];
  record: InstanceRecord;
  outbound: Outbound[];
}

/**
 * Runs orchestrations episode by episode, as the Durable extension does: the control messages of an
 * instance that have come in (a start, completions, timers, external events, a termination) become
 * new history one by one, activity successes that came in together as one; after each, the
 * orchestrator function replays the whole history through the durable-functions library and
 * answers with its actions, and its new tasks and timers are added. Then the new history and the
 * instance row (the commit point) are written, and only then are the tasks and timers sent. A
 * message whose event is already in the committed history is a redelivery: what it would have sent
 * is sent again, nothing is appended.
 */
export class OrchestrationDispatcher {
  /**
   * Instances as this process last committed them (row, etag, history): the next episode starts
   * from here without reading storage. A row changed by anyone else fails the commit (its etag), and
   * the episode is run again from what storage holds.
   */
  private readonly instances = new Map<string, { stored: StoredInstance; events: HistoryEvent[] }>();
  /**
   * Messages waiting for the next episode of their instance. Episodes of one instance run one at a
   * time; what comes in meanwhile (from its control queue, or handed over in this process) is taken
   * together by the next, as the extension takes an instance's pending messages in one episode.
   */
  private readonly inboxes = new Map<string, Inbox>();

  constructor(
    private readonly hub: TaskHub,
    private readonly orchestrators: ReadonlyMap<string, FunctionRegistration>,
    private readonly invoke: InvokeDurable,
    private readonly log: CoreLog,
    /** Runs a newly scheduled activity in this process, when it can (true); otherwise it goes on the work-item queue. */
    private readonly runActivityNow: (item: WorkItem) => boolean = () => false,
    /** How many of the instance's activities run in this process, their outcomes on the way. */
    private readonly runningHere: (instanceId: string) => number = () => 0,
  ) {}

  /** Takes note of an instance written elsewhere in this process: started anew (its row, no history yet), or purged. */
  written(instanceId: string, stored?: StoredInstance): void {
    if (stored === undefined) this.instances.delete(instanceId);
    else this.remember(instanceId, { stored, events: [] });
  }

  /**
   * Starts an instance whose id this process holds nothing of with its first episode, committed in
   * the one write that creates its row: resolves true once committed, false when the id is taken in
   * storage (nothing written: the caller decides what a start of an existing instance does).
   */
  async startNew(record: InstanceRecord, started: ControlMessage): Promise<boolean> {
    const id = record.instanceId;
    if (this.instances.has(id) || this.inboxes.has(id)) return false;
    this.remember(id, { stored: { record, etag: NOT_WRITTEN }, events: [] });
    try {
      await this.handle([started]);
      return true;
    } catch (error) {
      if (error instanceof InstanceIdTaken) return false;
      throw error;
    } finally {
      if (this.instances.get(id)?.stored.etag === NOT_WRITTEN) this.instances.delete(id);
    }
  }

  /** Takes messages of one instance into its next episode; resolves once that episode has committed them. */
  async handle(messages: readonly ControlMessage[]): Promise<void> {
    const instanceId = messages[0]?.instanceId;
    if (instanceId === undefined) return;
    await new Promise<void>((resolve, reject) => {
      const inbox = this.inboxes.get(instanceId);
      if (inbox !== undefined) {
        inbox.messages.push(...messages);
        inbox.callers.push({ resolve, reject });
        inbox.arrived?.();
        return;
      }
      this.inboxes.set(instanceId, { messages: [...messages], callers: [{ resolve, reject }] });
      void this.drain(instanceId);
    });
  }

  /** Runs episodes for an instance until nothing more has come in for it. */
  private async drain(instanceId: string): Promise<void> {
    for (;;) {
      const inbox = this.inboxes.get(instanceId);
      if (inbox === undefined || inbox.messages.length === 0) {
        this.inboxes.delete(instanceId);
        return;
      }
      await this.fanIn(instanceId, inbox);
      const messages = inbox.messages.splice(0);
      const callers = inbox.callers.splice(0);
      try {
        await this.episode(instanceId, messages, true);
        for (const caller of callers) caller.resolve();
      } catch (error) {
        for (const caller of callers) caller.reject(error);
      }
    }
  }

  /** While the inbox holds only outcomes of tasks and more of them are awaited, waits a little for the rest. */
  private async fanIn(instanceId: string, inbox: Inbox): Promise<void> {
    const events = this.instances.get(instanceId)?.events;
    if (events === undefined) return;
    const done = new Set(
      events.filter((e) => e.EventType === EventTypes.TaskCompleted || e.EventType === EventTypes.TaskFailed).map((e) => e.TaskScheduledId),
    );
    const awaited = events.filter((e) => e.EventType === EventTypes.TaskScheduled && !done.has(e.EventId)).length;
    const isOutcome = (m: ControlMessage): boolean =>
      m.event.EventType === EventTypes.TaskCompleted || m.event.EventType === EventTypes.TaskFailed;
    const began = Date.now();
    const deadline = (): number => began + (this.runningHere(instanceId) > 0 ? FAN_IN_WAIT_RUNNING_HERE_MS : FAN_IN_WAIT_MS);
    while (inbox.messages.every(isOutcome) && inbox.messages.length < awaited && Date.now() < deadline()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline() - Date.now());
        inbox.arrived = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      inbox.arrived = undefined;
    }
  }

  private async episode(instanceId: string, messages: readonly ControlMessage[], fromCache: boolean): Promise<void> {
    const cached = fromCache ? this.instances.get(instanceId) : undefined;
    const stored = cached?.stored ?? (await this.hub.store.read(instanceId));
    const current = messages.filter((m) => stored !== undefined && m.executionId === stored.record.executionId);
    if (stored === undefined || current.length < messages.length)
      this.log(
        'debug',
        'durabletask',
        `dropped ${messages.length - current.length} event(s) for ${instanceId}: no such execution (purged or replaced)`,
      );
    if (stored === undefined || current.length === 0 || isFinished(stored.record.runtimeStatus)) return;
    const history = cached?.events ?? (await this.hub.store.readHistory(stored.record));
    const episode: Episode = { history, added: [], record: { ...stored.record }, outbound: [] };
    let redelivered = false;
    const seen = (message: ControlMessage, taken: readonly ControlMessage[]): boolean => {
      const key = message.event.LocalKey;
      return (
        key !== undefined &&
        ([...episode.history, ...episode.added].some((e) => e.LocalKey === key) || taken.some((m) => m.event.LocalKey === key))
      );
    };
    for (let next = 0; next < current.length && !isFinished(episode.record.runtimeStatus);) {
      const message = current[next++]!;
      if (seen(message, [])) {
        redelivered = true;
        continue;
      }
      // Completions that came in together are replayed together, once; any other event on its own.
      const taken = [message];
      while (isCompletion(message.event) && next < current.length && isCompletion(current[next]!.event)) {
        const more = current[next++]!;
        if (seen(more, taken)) redelivered = true;
        else taken.push(more);
      }
      await this.apply(taken, episode, new Date());
    }
    if (episode.added.length > 0) {
      let written: StoredInstance;
      try {
        written = await this.hub.store.commit(stored, episode.history, episode.added, episode.record);
      } catch (error) {
        this.instances.delete(instanceId);
        if (stored.etag === NOT_WRITTEN && isConflict(error)) throw new InstanceIdTaken(instanceId);
        // Written meanwhile by someone else: run the episode again from what storage holds.
        if (cached !== undefined && isConflict(error)) return await this.episode(instanceId, messages, false);
        throw error;
      }
      if (isFinished(written.record.runtimeStatus)) this.instances.delete(instanceId);
      else this.remember(instanceId, { stored: written, events: [...episode.history, ...episode.added] });
    }
    await this.hub.send(episode.outbound.filter((o) => o.kind !== 'activity' || !this.runActivityNow(o.item)));
    if (redelivered && !isFinished(episode.record.runtimeStatus))
      await this.hub.send(pendingOf(instanceId, episode.record.executionId, [...episode.history, ...episode.added]));
  }

  private remember(instanceId: string, entry: { stored: StoredInstance; events: HistoryEvent[] }): void {
    this.instances.delete(instanceId);
    this.instances.set(instanceId, entry);
    if (this.instances.size > CACHED_INSTANCES) this.instances.delete(this.instances.keys().next().value as string);
  }

  /**
   * One incoming event, or several completions: their history, the orchestrator's answer to them,
   * and what that schedules.
   */
  private async apply(messages: readonly ControlMessage[], episode: Episode, now: Date): Promise<void> {
    const { record } = episode;
    const message = messages[0]!;
    const dueInMs = message.event.EventType === EventTypes.TimerFired ? Date.parse(String(message.event.FireAt)) - now.getTime() : 0;
    if (dueInMs > 1000) {
      // A timer further ahead than a storage queue hides a message: wait again.
      episode.outbound.push({ kind: 'timer', message, fireAt: String(message.event.FireAt) });
      return;
    }
    const numbering = { nextEventId: record.nextEventId };
    const before =
      messages.length === 1
        ? eventsBefore([...episode.history, ...episode.added], message.event, now, numbering)
        : completionsBefore(
            messages.map((m) => m.event),
            now,
          );
    record.nextEventId = numbering.nextEventId;
    record.lastUpdatedTime = now.toISOString();
    if (message.event.EventType === EventTypes.ExecutionTerminated) {
      const reason = typeof message.event.Input === 'string' ? message.event.Input : '';
      return this.finish(episode, before, 'Terminated', reason, now);
    }
    const history = [...episode.history, ...episode.added, ...before];
    if (!history.some((e) => e.EventType === EventTypes.ExecutionStarted)) {
      // An event raised before the start was taken: kept in history for the orchestrator to find.
      episode.added.push(...before);
      return;
    }
    const registration = this.orchestrators.get(record.name);
    if (registration === undefined)
      return this.finish(
        episode,
        before,
        'Failed',
        `The function '${record.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        now,
      );
    const outcome = await this.run(registration, record, [...episode.history, ...episode.added], before);
    if ('failure' in outcome)
      return this.finish(
        episode,
        before,
        'Failed',
        `Orchestrator function '${record.name}' failed: ${outcome.failure}`,
        now,
        outcome.state,
      );
    const { state } = outcome;
    const after = eventsAfter(state, record.actionsScheduled, now, numbering);
    record.nextEventId = numbering.nextEventId;
    if ('unsupported' in after)
      return this.finish(
        episode,
        before,
        'Failed',
        `the local runtime does not run ${after.unsupported} actions (orchestrator '${record.name}')`,
        now,
        state,
      );
    if (state.isDone) return this.finish(episode, [...before, ...after.events], 'Completed', state.output, now, state);
    const added = [...before, ...after.events, event(EventTypes.OrchestratorCompleted, now)];
    episode.added.push(...added);
    episode.outbound.push(...outboundOf(record.instanceId, record.executionId, added));
    record.runtimeStatus = 'Running';
    record.actionsScheduled = after.actionsScheduled;
    const customStatus = json(state.customStatus);
    if (customStatus !== undefined) record.customStatus = customStatus;
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

  /** Ends the execution: ExecutionCompleted (or the termination, its own last event) added, the instance finished. */
  private finish(
    episode: Episode,
    events: HistoryEvent[],
    status: Extract<RuntimeStatus, 'Completed' | 'Failed' | 'Terminated'>,
    output: unknown,
    now: Date,
    state?: OrchestratorState,
  ): void {
    const result = json(output) ?? 'null';
    const final =
      status === 'Terminated' ? [] : [event(EventTypes.ExecutionCompleted, now, { OrchestrationStatus: status, Result: result })];
    episode.added.push(...events, ...final, event(EventTypes.OrchestratorCompleted, now));
    const { record } = episode;
    record.runtimeStatus = status;
    record.output = result;
    const customStatus = json(state?.customStatus);
    if (customStatus !== undefined) record.customStatus = customStatus;
    if (status !== 'Completed') this.log('warning', 'durabletask', `${record.instanceId} ${status.toLowerCase()}: ${result}`);
  }
}
