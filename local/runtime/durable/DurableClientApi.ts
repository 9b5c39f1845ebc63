import { randomUUID } from 'node:crypto';
import { EventTypes, isFinished, type HistoryEvent } from './durableProtocol';
import { LocalKeys, startedMessage, type ControlMessage } from './orchestrationEpisode';
import type { TaskHub } from './TaskHub';
import type { InstanceRecord, StoredInstance } from './TaskHubStore';

/** An answer of the extension's HTTP API: status, JSON body, headers. */
export interface ApiAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The management URLs of one instance (the extension's HttpManagementPayload). */
export type ManagementUrls = (instanceId: string) => Record<string, string>;

const EVENT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(EventTypes).map(([name, type]) => [type, name]));

const parsed = (text: string | undefined): unknown => (text === undefined ? null : (JSON.parse(text) as unknown));

function message(status: number, text: string): ApiAnswer {
  return { status, body: { Message: text } };
}

const notFound = (instanceId: string): ApiAnswer => message(404, `No instance with ID '${instanceId}' was found.`);

/** What an instance id may not hold, as the Durable extension checks it. */
// eslint-disable-next-line no-control-regex -- control characters are among what it refuses
const BAD_INSTANCE_ID = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

/**
 * The Durable extension's client API over a task hub, as both its HTTP endpoints (the public
 * webhook under /runtime/webhooks/durabletask and the worker's RPC endpoint) answer: start, status,
 * list, raise an event, terminate, purge.
 */
export class DurableClientApi {
  constructor(
    private readonly hub: TaskHub,
    private readonly orchestrators: ReadonlySet<string>,
    private readonly managementUrls: ManagementUrls,
    /** Told of an instance written here (started anew: its row; purged: none), for whoever keeps it in memory. */
    private readonly written: (instanceId: string, stored?: StoredInstance) => void = () => undefined,
    /** Where a start's ExecutionStarted goes. @default the instance's control queue */
    private readonly deliver: (message: ControlMessage) => Promise<void> = (message) => hub.sendControl(message),
    /**
     * Starts a new instance with its first episode in the write that creates it (true), or says the
     * id is taken (false). @default never: the row is written, then its start delivered
     */
    private readonly startFresh: (record: InstanceRecord, started: ControlMessage) => Promise<boolean> = () => Promise.resolve(false),
  ) {}

  /**
   * Starts an orchestration. An instance id that is pending or running is refused (409) unless
   * host.json lets any state be replaced; a finished one is replaced by a new execution.
   */
  async start(name: string, instanceId: string | undefined, body: string): Promise<ApiAnswer> {
    if (!this.orchestrators.has(name))
      return message(400, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    const id = instanceId ?? randomUUID().replace(/-/g, '');
    if (id.length === 0 || id.length > 256 || BAD_INSTANCE_ID.test(id)) return message(400, `Instance ID '${id}' is not valid.`);
    let input: string | undefined;
    if (body.trim() !== '') {
      try {
        input = JSON.stringify(JSON.parse(body));
      } catch {
        return message(400, 'the input is not JSON');
      }
    }
    const now = new Date().toISOString();
    const record: InstanceRecord = {
      instanceId: id,
      name,
      executionId: randomUUID().replace(/-/g, ''),
      runtimeStatus: 'Pending',
      ...(input === undefined ? {} : { input }),
      createdTime: now,
      lastUpdatedTime: now,
      historyLength: 0,
      nextEventId: 0,
      actionsScheduled: 0,
    };
    // Most starts are of a new id: its first episode run at once and written with the row, in one
    // insert; an existing instance is read only when there is one.
    if (await this.startFresh(record, startedMessage(record))) return this.accepted(id);
    let written = await this.hub.store.put(record);
    if (written === undefined) {
      const existing = await this.hub.store.read(id);
      if (
        existing !== undefined &&
        !isFinished(existing.record.runtimeStatus) &&
        this.hub.config.overridableExistingInstanceStates !== 'AnyState'
      ) {
        // A start whose message was lost before the first episode (a crash in between) is mended by the next start.
        if (existing.record.runtimeStatus === 'Pending') await this.hub.sendControl(startedMessage(existing.record));
        return message(409, `An instance with ID '${id}' already exists and is ${existing.record.runtimeStatus.toLowerCase()}.`);
      }
      written = await this.hub.store.put(record, existing?.etag);
    }
    if (written === undefined) return message(409, `An instance with ID '${id}' was started meanwhile.`);
    this.written(id, written);
    await this.deliver(startedMessage(record));
    return this.accepted(id);
  }

  /** 202 with the instance's management URLs, as the extension answers a start. */
  private accepted(instanceId: string): ApiAnswer {
    const urls = this.managementUrls(instanceId);
    return { status: 202, body: urls, headers: { Location: urls.statusQueryGetUri ?? '', 'Retry-After': '10' } };
  }

  /** 200 when completed, 202 (with Location) while pending or running, 400 when failed or terminated, 404 when unknown. */
  async status(instanceId: string, options: { showInput: boolean; showHistory: boolean; showHistoryOutput: boolean }): Promise<ApiAnswer> {
    const stored = await this.hub.store.read(instanceId);
    if (stored === undefined) return notFound(instanceId);
    const { record } = stored;
    const body: Record<string, unknown> = this.statusOf(record, options.showInput);
    if (options.showHistory)
      body.historyEvents = (await this.hub.store.readHistory(record)).map((e) => this.shownEvent(e, options.showHistoryOutput));
    const status = { Completed: 200, Pending: 202, Running: 202, Failed: 400, Terminated: 400 }[record.runtimeStatus];
    const headers: Record<string, string> =
      status === 202 ? { Location: this.managementUrls(instanceId).statusQueryGetUri ?? '', 'Retry-After': '10' } : {};
    return { status, body, headers };
  }

  async list(filter: { createdFrom?: Date; createdTo?: Date; statuses?: string[]; showInput: boolean }): Promise<ApiAnswer> {
    const records = await this.hub.store.list(filter);
    return { status: 200, body: records.map((r) => this.statusOf(r, filter.showInput)) };
  }

  private statusOf(record: InstanceRecord, showInput: boolean): Record<string, unknown> {
    return {
      name: record.name,
      instanceId: record.instanceId,
      runtimeStatus: record.runtimeStatus,
      input: showInput ? parsed(record.input) : null,
      customStatus: parsed(record.customStatus),
      output: parsed(record.output),
      createdTime: record.createdTime,
      lastUpdatedTime: record.lastUpdatedTime,
    };
  }

  private shownEvent(event: HistoryEvent, showOutput: boolean): Record<string, unknown> {
    const { EventType, IsPlayed: _played, LocalKey: _key, Result, Input, ...rest } = event;
    return {
      EventType: EVENT_NAMES[EventType] ?? EventType,
      ...rest,
      ...(showOutput && typeof Result === 'string' ? { Result: JSON.parse(Result) as unknown } : {}),
      ...(showOutput && typeof Input === 'string' && EventType !== EventTypes.TaskScheduled ? { Input } : {}),
    };
  }

  /** Delivers an event to a running instance: 202; 410 when it has finished; 404 when unknown. */
  async raiseEvent(instanceId: string, eventName: string, body: string): Promise<ApiAnswer> {
    return await this.toRunning(instanceId, {
      EventType: EventTypes.EventRaised,
      Name: eventName,
      ...(body.trim() === '' ? {} : { Input: body }),
      LocalKey: LocalKeys.raised(randomUUID()),
    });
  }

  async terminate(instanceId: string, reason: string): Promise<ApiAnswer> {
    return await this.toRunning(instanceId, { EventType: EventTypes.ExecutionTerminated, Input: reason, LocalKey: LocalKeys.terminated });
  }

  private async toRunning(instanceId: string, fields: Record<string, unknown> & { EventType: number }): Promise<ApiAnswer> {
    const stored = await this.hub.store.read(instanceId);
    if (stored === undefined) return notFound(instanceId);
    if (isFinished(stored.record.runtimeStatus))
      return message(410, `The instance '${instanceId}' is ${stored.record.runtimeStatus.toLowerCase()}.`);
    await this.hub.sendControl({
      instanceId,
      executionId: stored.record.executionId,
      event: { EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString(), ...fields },
    });
    return { status: 202 };
  }

  /** Deletes an instance and its history: 200 with the count, 404 when there was none. */
  async purge(instanceId: string): Promise<ApiAnswer> {
    const purged = await this.hub.store.purge(instanceId);
    this.written(instanceId);
    return purged ? { status: 200, body: { instancesDeleted: 1 } } : notFound(instanceId);
  }
}
