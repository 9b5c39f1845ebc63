import { RestError, TableClient, type TransactionAction } from '@azure/data-tables';
import type { HistoryEvent, RuntimeStatus } from './durableProtocol';

/** One orchestration instance, as the task hub's Instances table holds it (one row per instance id). */
export interface InstanceRecord {
  instanceId: string;
  /** The orchestrator function. */
  name: string;
  /** A new one each time the instance is started or replaced. */
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text; undefined when none. */
  input?: string;
  output?: string;
  customStatus?: string;
  createdTime: string;
  lastUpdatedTime: string;
  /**
   * How many history rows of this execution are committed: rows past it are an episode that did
   * not commit, and are written over by the next.
   */
  historyLength: number;
  /** The sequence number the next scheduled task or timer gets (the library numbers them alike). */
  nextEventId: number;
  /** How many of the orchestrator's actions have been scheduled so far (its actions are cumulative). */
  actionsScheduled: number;
  /**
   * The committed history as JSON text, kept in the row while it is short (see HISTORY_IN_ROW_CHARS);
   * undefined once it is kept in rows of its own, an event a row.
   */
  historyText?: string;
}

export interface StoredInstance {
  record: InstanceRecord;
  /** The row's ETag; NOT_WRITTEN for an instance whose first episode is being run before its row exists. */
  etag: string;
}

/** The ETag of an instance not yet written: its first commit inserts the row, and fails if the id is taken. */
export const NOT_WRITTEN = '';

/** A table string property holds 32K UTF-16 characters: longer texts are kept in several (`Input0`, `Input1`, …). */
const PROPERTY_CHARS = 30_000;

/**
 * JSON text with every character past ASCII written as a `\uXXXX` escape: the same JSON, whose
 * request body has no multi-byte characters. Azurite decodes a large entity's request body chunk by
 * chunk and garbles a character split between two chunks; Azure does not, and reads it the same.
 */
export function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON text as one or more properties named after `name`. */
export function textProperties(name: string, json: string | undefined): Record<string, string | number> {
  if (json === undefined) return {};
  const text = asciiJson(json);
  if (text.length <= PROPERTY_CHARS) return { [name]: text };
  const parts: Record<string, string | number> = { [`${name}Parts`]: Math.ceil(text.length / PROPERTY_CHARS) };
  for (let i = 0; i * PROPERTY_CHARS < text.length; i++) parts[`${name}${i}`] = text.slice(i * PROPERTY_CHARS, (i + 1) * PROPERTY_CHARS);
  return parts;
}

/** The text `textProperties` kept, read back from a row. */
export function textOf(row: Record<string, unknown>, name: string): string | undefined {
  const whole = row[name];
  if (typeof whole === 'string') return whole;
  const count = row[`${name}Parts`];
  if (typeof count !== 'number') return undefined;
  return Array.from({ length: count }, (_, i) => {
    const part = row[`${name}${i}`];
    return typeof part === 'string' ? part : '';
  }).join('');
}

/**
 * A history up to this long (JSON text, some 8 properties) stays in the instance row, so that an
 * episode commits in one conditional write of one entity (an entity holds at most 1 MiB). Past it,
 * the history moves to rows of its own, an event a row, and each episode appends its events there.
 */
const HISTORY_IN_ROW_CHARS = 8 * PROPERTY_CHARS;

/** Past this many rows a table transaction is split: one transaction takes at most 100. */
const TRANSACTION_ROWS = 100;

/** A history row key: the execution, then the event's position in it, so that a prefix query reads one execution in order. */
function historyRowKey(executionId: string, position: number): string {
  return `${executionId}~${position.toString().padStart(8, '0')}`;
}

interface InstanceEntity {
  partitionKey: string;
  rowKey: string;
  Name: string;
  ExecutionId: string;
  RuntimeStatus: RuntimeStatus;
  /** Input, Output and CustomStatus, each as `textProperties` keeps it. */
  [text: string]: unknown;
  CreatedTime: string;
  LastUpdatedTime: string;
  HistoryLength: number;
  NextEventId: number;
  ActionsScheduled: number;
}

function toEntity(record: InstanceRecord): InstanceEntity {
  return {
    partitionKey: record.instanceId,
    rowKey: '',
    Name: record.name,
    ExecutionId: record.executionId,
    RuntimeStatus: record.runtimeStatus,
    ...textProperties('Input', record.input),
    ...textProperties('Output', record.output),
    ...textProperties('CustomStatus', record.customStatus),
    ...textProperties('History', record.historyText),
    CreatedTime: record.createdTime,
    LastUpdatedTime: record.lastUpdatedTime,
    HistoryLength: record.historyLength,
    NextEventId: record.nextEventId,
    ActionsScheduled: record.actionsScheduled,
  };
}

function toRecord(entity: InstanceEntity): InstanceRecord {
  const [input, output, customStatus, historyText] = ['Input', 'Output', 'CustomStatus', 'History'].map((name) => textOf(entity, name));
  return {
    instanceId: entity.partitionKey,
    name: entity.Name,
    executionId: entity.ExecutionId,
    runtimeStatus: entity.RuntimeStatus,
    ...(input === undefined ? {} : { input }),
    ...(output === undefined ? {} : { output }),
    ...(customStatus === undefined ? {} : { customStatus }),
    createdTime: entity.CreatedTime,
    lastUpdatedTime: entity.LastUpdatedTime,
    historyLength: entity.HistoryLength,
    nextEventId: entity.NextEventId,
    actionsScheduled: entity.ActionsScheduled,
    ...(historyText === undefined ? {} : { historyText }),
  };
}

const isStatus = (error: unknown, ...codes: number[]): boolean => error instanceof RestError && codes.includes(error.statusCode ?? 0);

/**
 * The task hub's table `<hub>Instances`: per instance, in one partition, the instance row (status,
 * input, output, custom status; RowKey '') and its current execution's history: in the row while it
 * is short, else as the events in order (RowKey `<execution>~<position>`). An episode commits in one
 * write of that partition, on condition that the row is still as read: the row alone, or its new
 * events and the row in one transaction.
 */
export class TaskHubStore {
  private readonly table: TableClient;

  constructor(storageConnectionString: string, hubName: string) {
    this.table = TableClient.fromConnectionString(storageConnectionString, `${hubName}Instances`, { allowInsecureConnection: true });
  }

  async create(): Promise<void> {
    await this.table.createTable();
  }

  async read(instanceId: string): Promise<StoredInstance | undefined> {
    try {
      const entity = await this.table.getEntity<InstanceEntity>(instanceId, '');
      return { record: toRecord(entity), etag: entity.etag };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Instances, newest first, created within the range and in one of the statuses (all when none given). */
  async list(filter: { createdFrom?: Date; createdTo?: Date; statuses?: readonly string[] } = {}): Promise<InstanceRecord[]> {
    const records: InstanceRecord[] = [];
    for await (const entity of this.table.listEntities<InstanceEntity>({ queryOptions: { filter: "RowKey eq ''" } })) {
      const record = toRecord(entity);
      const created = Date.parse(record.createdTime);
      if (filter.createdFrom !== undefined && created < filter.createdFrom.getTime()) continue;
      if (filter.createdTo !== undefined && created > filter.createdTo.getTime()) continue;
      if (filter.statuses !== undefined && filter.statuses.length > 0 && !filter.statuses.includes(record.runtimeStatus)) continue;
      records.push(record);
    }
    return records.sort((a, b) => b.createdTime.localeCompare(a.createdTime));
  }

  /**
   * Writes a new instance, or replaces a finished one (`etag` of the row read): the row as written,
   * or undefined when another writer got there first.
   */
  async put(record: InstanceRecord, etag?: string): Promise<StoredInstance | undefined> {
    try {
      const written =
        etag === undefined
          ? await this.table.createEntity(toEntity(record))
          : await this.table.updateEntity(toEntity(record), 'Replace', { etag });
      return { record, etag: written.etag ?? '' };
    } catch (error) {
      if (isStatus(error, 409, 412)) return undefined;
      throw error;
    }
  }

  /** The committed history of the instance's current execution, in order. */
  async readHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    if (record.historyText !== undefined) return JSON.parse(record.historyText) as HistoryEvent[];
    if (record.historyLength === 0) return [];
    const from = historyRowKey(record.executionId, 0);
    const to = historyRowKey(record.executionId, record.historyLength);
    const events: { rowKey: string; event: HistoryEvent }[] = [];
    const rows = this.table.listEntities<{ rowKey: string } & Record<string, unknown>>({
      queryOptions: {
        filter: `PartitionKey eq '${record.instanceId.replace(/'/g, "''")}' and RowKey ge '${from}' and RowKey lt '${to}'`,
      },
    });
    for await (const row of rows) events.push({ rowKey: row.rowKey, event: JSON.parse(textOf(row, 'Event') ?? 'null') as HistoryEvent });
    return events.sort((a, b) => a.rowKey.localeCompare(b.rowKey)).map((e) => e.event);
  }

  /**
   * Commits an episode: the new events after the committed `history`, and the instance row with
   * them counted, on condition that the row is as read (else it throws, and the episode is run again
   * from what is committed). Answers the row as written. A short history is written in the row, in
   * one write; a longer one moves to rows of its own, which later episodes append to in one
   * transaction with the row. Past 99 events the leading ones go first in transactions of their
   * own: rows past the committed length are ignored until the row counting them commits. An
   * instance NOT_WRITTEN yet is inserted with its first episode (409 when the id is taken).
   */
  async commit(
    stored: StoredInstance,
    history: readonly HistoryEvent[],
    newEvents: readonly HistoryEvent[],
    next: InstanceRecord,
  ): Promise<StoredInstance> {
    const { record } = stored;
    const historyLength = history.length + newEvents.length;
    const { historyText: _, ...fields } = next;
    const inRow = record.historyLength === 0 || record.historyText !== undefined;
    const historyText = inRow ? JSON.stringify([...history, ...newEvents]) : undefined;
    if (historyText !== undefined && asciiJson(historyText).length <= HISTORY_IN_ROW_CHARS) {
      const written: InstanceRecord = { ...fields, historyLength, historyText };
      const answer =
        stored.etag === NOT_WRITTEN
          ? await this.table.createEntity(toEntity(written))
          : await this.table.updateEntity(toEntity(written), 'Replace', { etag: stored.etag });
      return { record: written, etag: answer.etag ?? '' };
    }
    // In rows: every event when the history leaves the row, else the new ones.
    const [first, toWrite] = inRow ? [0, [...history, ...newEvents]] : [record.historyLength, newEvents];
    const events: TransactionAction[] = toWrite.map((event, i) => [
      'upsert',
      {
        partitionKey: record.instanceId,
        rowKey: historyRowKey(record.executionId, first + i),
        EventType: event.EventType,
        ...textProperties('Event', JSON.stringify(event)),
      },
      'Replace',
    ]);
    const last = Math.max(0, events.length - (TRANSACTION_ROWS - 1));
    for (let at = 0; at < last; at += TRANSACTION_ROWS)
      await this.table.submitTransaction(events.slice(at, Math.min(at + TRANSACTION_ROWS, last)));
    const written: InstanceRecord = { ...fields, historyLength };
    const answer = await this.table.submitTransaction([
      ...events.slice(last),
      stored.etag === NOT_WRITTEN ? ['create', toEntity(written)] : ['update', toEntity(written), 'Replace', { etag: stored.etag }],
    ]);
    return { record: written, etag: answer.subResponses.at(-1)?.etag ?? '' };
  }

  /** Deletes the instance and the history of all its executions; false when there was none. */
  async purge(instanceId: string): Promise<boolean> {
    const rows = this.table.listEntities<{ partitionKey: string; rowKey: string }>({
      queryOptions: { filter: `PartitionKey eq '${instanceId.replace(/'/g, "''")}'`, select: ['RowKey'] },
    });
    const deletes: TransactionAction[] = [];
    for await (const row of rows) deletes.push(['delete', { partitionKey: instanceId, rowKey: row.rowKey }]);
    for (let at = 0; at < deletes.length; at += TRANSACTION_ROWS)
      await this.table.submitTransaction(deletes.slice(at, at + TRANSACTION_ROWS));
    return deletes.length > 0;
  }
}
