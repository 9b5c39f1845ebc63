import { TableClient } from '@azure/data-tables';
import { EventTypes, type HistoryEvent } from '../../local/runtime/durable/durableProtocol';
import { NOT_WRITTEN, TaskHubStore, type InstanceRecord } from '../../local/runtime/durable/TaskHubStore';
import { startTestAzurite } from '../support/azurite';

jest.setTimeout(60_000);

const HUB = 'StoreProbe';

const record = (instanceId: string, fields: Partial<InstanceRecord> = {}): InstanceRecord => ({
  instanceId,
  name: 'confirmation',
  executionId: 'e1',
  runtimeStatus: 'Pending',
  createdTime: '2026-12-03T10:00:00.000Z',
  lastUpdatedTime: '2026-12-03T10:00:00.000Z',
  historyLength: 0,
  nextEventId: 0,
  actionsScheduled: 0,
  ...fields,
});

const started = (n: number): HistoryEvent[] =>
  [EventTypes.OrchestratorStarted, EventTypes.ExecutionStarted, ...Array.from({ length: n }, () => EventTypes.TaskScheduled)].map(
    (type, i) => ({
      EventType: type,
      EventId: type === EventTypes.TaskScheduled ? i - 2 : -1,
      IsPlayed: false,
      Timestamp: '2026-12-03T10:00:00.000Z',
    }),
  );

describe("the task hub's instances table", () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let store: TaskHubStore;
  let table: TableClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    store = new TaskHubStore(azurite.connectionString, HUB);
    await store.create();
    table = TableClient.fromConnectionString(azurite.connectionString, `${HUB}Instances`, { allowInsecureConnection: true });
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('creates a new instance with its first episode in the one write (no row before it), and refuses a second first episode of the id', async () => {
    const first = await store.commit(
      { record: record('fresh'), etag: NOT_WRITTEN },
      [],
      started(3),
      record('fresh', { runtimeStatus: 'Running', nextEventId: 3, actionsScheduled: 3 }),
    );
    expect(first.record).toMatchObject({ runtimeStatus: 'Running', historyLength: 5 });
    const row = await table.getEntity('fresh', '');
    expect(row).toMatchObject({ RuntimeStatus: 'Running', HistoryLength: 5, NextEventId: 3 });
    expect((await store.readHistory(first.record)).map((e) => e.EventType)).toEqual(started(3).map((e) => e.EventType));
    // Another start of the same id, racing: its insert fails, and the row stays as the first wrote it.
    await expect(
      store.commit(
        { record: record('fresh', { executionId: 'e2' }), etag: NOT_WRITTEN },
        [],
        started(1),
        record('fresh', { executionId: 'e2', runtimeStatus: 'Running' }),
      ),
    ).rejects.toMatchObject({ statusCode: 409 });
    expect((await store.read('fresh'))?.record).toMatchObject({ executionId: 'e1', historyLength: 5 });
    // The next episode goes on from the row's ETag, as before.
    const next = await store.commit(first, await store.readHistory(first.record), started(0).slice(0, 1), {
      ...first.record,
      runtimeStatus: 'Completed',
    });
    expect(next.record).toMatchObject({ runtimeStatus: 'Completed', historyLength: 6 });
  });

  it('creates a new instance whose first episode is too long for the row with its history in rows of their own, in one transaction', async () => {
    const input = 'x'.repeat(300_000);
    const events = started(2).map((e) => (e.EventType === EventTypes.ExecutionStarted ? { ...e, Input: JSON.stringify(input) } : e));
    const first = await store.commit(
      { record: record('big'), etag: NOT_WRITTEN },
      [],
      events,
      record('big', { runtimeStatus: 'Running', input: JSON.stringify('in') }),
    );
    expect(first.record.historyLength).toBe(4);
    expect(first.record.historyText).toBeUndefined();
    const history = await store.readHistory(first.record);
    expect(history.map((e) => e.EventType)).toEqual(events.map((e) => e.EventType));
    expect(JSON.parse(String(history[1]?.Input))).toBe(input);
    await expect(
      store.commit({ record: record('big'), etag: NOT_WRITTEN }, [], started(0), record('big', { runtimeStatus: 'Running' })),
    ).rejects.toMatchObject({ statusCode: 409 });
  });
});
