import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { replayBatchOf } from '../../../../src/flows/operations/pacedReplay';
import { batchesOf } from '../../../../src/domain/batches';
import { asStatus, batchSize, startProgress, withResults, type ReplayEntryResult } from '../../../../src/domain/replayJob';
import { MAX_JOB_ENTRIES, replayJobId, startReplay } from '../../../../src/flows/operations/startReplay';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import type { ParkedMessage } from '../../../../src/ports/ParkedMessagesPort';
import type { ReplayJobsPort } from '../../../../src/ports/ReplayJobsPort';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { InMemoryJourney, InMemoryParked } from '../../../support/fakes';
import { replayDeps } from '../../../support/replayDeps';

const now = new Date('2026-12-03T12:00:00Z');
const parkedOrder = (orderId: string): ParkedMessage => ({
  source: 'online-orders',
  orderId,
  code: ErrorCodes.MAPPING_UNKNOWN_SKU,
  reason: 'x',
  details: [],
  payload: JSON.stringify(ecpOrderFactory({ id: orderId })),
  attempts: 1,
  parkedAt: '2026-12-03T10:00:00Z',
  replayable: true,
});

class RecordingJobs implements ReplayJobsPort {
  readonly started: { jobId: string; input: unknown }[] = [];
  start(jobId: string, input: unknown): Promise<void> {
    this.started.push({ jobId, input });
    return Promise.resolve();
  }
  view(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  list(): Promise<[]> {
    return Promise.resolve([]);
  }
  cancel(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

describe('a replay job', () => {
  it('cuts its entries into batches of about two seconds at its rate', () => {
    expect(batchSize(10)).toBe(20);
    expect(batchSize(0.2)).toBe(1);
    expect(batchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('counts what each batch did and shows only the latest problems in its status', () => {
    let progress = startProgress('replay-1', { by: 'ana', rate: 10, requestedAt: now.toISOString(), entries: [] }, now);
    const kept = (i: number): ReplayEntryResult => ({ source: 'online-orders', orderId: String(i), outcome: 'kept', detail: 'would fail' });
    progress = withResults(
      progress,
      [{ source: 'online-orders', orderId: 'a', outcome: 'replayed', detail: '' }, ...Array.from({ length: 30 }, (_, i) => kept(i))],
      now,
    );
    progress = withResults(progress, [{ source: 'online-orders', orderId: 'b', outcome: 'gone', detail: '' }], now);
    expect(progress).toMatchObject({ done: 32, replayed: 1, kept: 30, gone: 1 });
    expect(progress.problems).toHaveLength(31);
    expect(asStatus(progress).problems).toHaveLength(20);
    expect(asStatus(progress).problems.at(-1)?.orderId).toBe('b');
  });

  it('starts with the open entries a selection names, fixed then; refuses none and more than one job takes', async () => {
    const parked = new InMemoryParked();
    await parked.park(parkedOrder('10001'));
    await parked.park({ ...parkedOrder('10002'), code: ErrorCodes.ERP_REJECTED });
    const jobs = new RecordingJobs();
    const started = await startReplay({ orderIds: ['10001'] }, { rate: 10, by: 'ana' }, { parked, jobs, now: () => now });
    expect(started).toMatchObject({ started: true, entries: 1, rate: 10 });
    expect(jobs.started[0]?.input).toEqual({
      by: 'ana',
      rate: 10,
      requestedAt: now.toISOString(),
      entries: [{ source: 'online-orders', orderId: '10001', parkedAt: '2026-12-03T10:00:00Z' }],
    });
    expect(await startReplay({ orderIds: ['99999'] }, { rate: 10, by: 'ana' }, { parked, jobs, now: () => now })).toEqual({
      started: false,
      reason: 'the selection names no open parked entry',
    });
    const many = { overview: () => Promise.resolve(Array.from({ length: MAX_JOB_ENTRIES + 1 }, (_, i) => parkedOrder(String(i)))) };
    const refused = await startReplay({ group: 'MAPPING.UNKNOWN_SKU' }, { rate: 10, by: 'ana' }, { parked: many, jobs, now: () => now });
    expect(refused).toMatchObject({ started: false, reason: expect.stringContaining(`one job replays at most ${MAX_JOB_ENTRIES}`) });
    expect(replayJobId(now)).toMatch(/^replay-20261203-120000-[0-9a-f]{6}$/);
  });

  it('replays a batch at its rate, and finds gone what a first run replayed when run again', async () => {
    const deps = replayDeps(now);
    for (const id of ['1', '2', '3', '4', '5']) await deps.parked.park(parkedOrder(id));
    const journey = new InMemoryJourney();
    const entries = ['1', '2', '3', '4', '5'].map((orderId) => ({ source: 'online-orders', orderId, parkedAt: '2026-12-03T10:00:00Z' }));
    const batch = { jobId: 'replay-1', by: 'ana', rate: 50, entries };
    const started = Date.now();
    const first = await replayBatchOf(batch, deps, new JourneyRecorder(journey, 'replayBatch'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 20 - 5);
    expect(first.map((r) => r.outcome)).toEqual(['replayed', 'replayed', 'replayed', 'replayed', 'replayed']);
    const again = await replayBatchOf(batch, deps, new JourneyRecorder(journey, 'replayBatch'));
    expect(again.map((r) => r.outcome)).toEqual(['gone', 'gone', 'gone', 'gone', 'gone']);
    expect(deps.sender.sent.map((s) => s.message.messageId)).toEqual(
      ['1', '2', '3', '4', '5'].map((id) => `${id}:replay:replay-1:2026-12-03T10:00:00Z`),
    );
  });

  it('leaves alone an entry parked anew since the job chose it: another failure, not sent, not removed', async () => {
    const deps = replayDeps(now);
    await deps.parked.park({ ...parkedOrder('7'), parkedAt: '2026-12-03T11:00:00Z', code: ErrorCodes.ERP_REJECTED });
    const [result] = await replayBatchOf(
      { jobId: 'replay-4', by: 'ana', rate: 50, entries: [{ source: 'online-orders', orderId: '7', parkedAt: '2026-12-03T10:00:00Z' }] },
      deps,
      new JourneyRecorder(new InMemoryJourney(), 'replayBatch'),
    );
    expect(result).toMatchObject({ orderId: '7', outcome: 'gone' });
    expect(deps.sender.sent).toEqual([]);
    expect(await deps.parked.list()).toHaveLength(1);
  });

  it('keeps to the rate when each entry takes longer than its share: several run at once', async () => {
    const deps = replayDeps(now);
    const ids = Array.from({ length: 20 }, (_, i) => String(i));
    for (const id of ids) await deps.parked.park(parkedOrder(id));
    const ofOrder = deps.parked.ofOrder.bind(deps.parked);
    // Each look-up takes 100 ms: one at a time, 20 entries would take 2 s.
    deps.parked.ofOrder = async (id) => (await new Promise((r) => setTimeout(r, 100)), await ofOrder(id));
    const started = Date.now();
    const results = await replayBatchOf(
      {
        jobId: 'replay-2',
        by: 'ana',
        rate: 100,
        entries: ids.map((orderId) => ({ source: 'online-orders', orderId, parkedAt: '2026-12-03T10:00:00Z' })),
      },
      deps,
      new JourneyRecorder(new InMemoryJourney(), 'replayBatch'),
    );
    expect(Date.now() - started).toBeLessThan(700);
    expect(results.map((r) => r.orderId)).toEqual(ids);
    expect(results.every((r) => r.outcome === 'replayed')).toBe(true);
  });

  it('makes up the time between batches: entries due before the batch began start at once', async () => {
    const deps = replayDeps(now);
    for (const id of ['a', 'b', 'c']) await deps.parked.park(parkedOrder(id));
    const started = Date.now();
    await replayBatchOf(
      {
        jobId: 'replay-3',
        by: 'ana',
        rate: 1,
        entries: ['a', 'b', 'c'].map((orderId) => ({ source: 'online-orders', orderId, parkedAt: '2026-12-03T10:00:00Z' })),
        firstDueAt: new Date(Date.now() - 5000).toISOString(),
      },
      deps,
      new JourneyRecorder(new InMemoryJourney(), 'replayBatch'),
    );
    // At 1/s from the batch's own start they would take 2 s; due 5 s ago, they run now.
    expect(Date.now() - started).toBeLessThan(500);
    expect(deps.sender.sent).toHaveLength(3);
  });
});
