import type { JourneyRecorder } from '../shared/JourneyRecorder';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import { replayEntry, type ReplayDeps } from './replayParked';
import type { ChosenEntry, ReplayBatchInput, ReplayEntryResult } from '../../domain/replayJob';
import { entryKeyOf as keyOf } from './dryRunReplay';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The entry the job chose, if it is still parked, open, and the same failure: one parked again
 * since (its replay failed anew) is another failure, which this job must not send or remove.
 */
async function chosenEntry(parked: ParkedMessagesPort, key: ChosenEntry) {
  const entry = await parked.get(key.source, key.orderId, key.messageId);
  return entry?.resolution === undefined && entry?.parkedAt === key.parkedAt ? entry : undefined;
}

/** Entries replayed at once at most: each waits on storage and the queue, so a rate above what one at a time reaches needs several. */
const MAX_IN_FLIGHT = 32;
/** At most this much time behind schedule is made up at the start of a batch. */
const MAX_MAKE_UP_MS = 2_000;

async function replayOne(
  key: ChosenEntry,
  input: ReplayBatchInput,
  deps: ReplayDeps,
  journeys: JourneyRecorder,
): Promise<ReplayEntryResult> {
  const entry = await chosenEntry(deps.parked, key);
  if (entry === undefined)
    return { ...keyOf(key), outcome: 'gone', detail: 'no longer parked as chosen: replayed, resolved or parked anew meanwhile' };
  const result = await replayEntry(entry, deps, journeys, { by: input.by, jobId: input.jobId });
  return {
    ...keyOf(key),
    outcome: result.outcome,
    detail: result.detail,
    ...(result.outcome === 'kept' && result.code !== undefined ? { code: result.code } : {}),
  };
}

/**
 * Replays one batch of a job: an entry starts every 1/rate seconds, several at once when each takes
 * longer than that (at most MAX_IN_FLIGHT). Run again (Durable runs activities at least once), it
 * finds what it replayed gone from `parked`, and a message it sent is sent under the same id (the
 * queue drops the second). A failure the hub cannot name fails the batch, once every entry started
 * has finished, and the orchestration runs it again.
 */
export async function replayBatchOf(input: ReplayBatchInput, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ReplayEntryResult[]> {
  // Make up the time between batches, never a long stall (a retry's backoff): that would send a burst.
  const now = Date.now();
  const started = input.firstDueAt === undefined ? now : Math.max(Date.parse(input.firstDueAt), now - MAX_MAKE_UP_MS);
  const running = new Set<Promise<unknown>>();
  const results: Promise<ReplayEntryResult>[] = [];
  for (const [index, key] of input.entries.entries()) {
    const due = started + (index * 1000) / input.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    while (running.size >= MAX_IN_FLIGHT) await Promise.race(running);
    const result = replayOne(key, input, deps, journeys);
    const settled: Promise<unknown> = result.then(
      () => running.delete(settled),
      () => running.delete(settled),
    );
    running.add(settled);
    results.push(result);
  }
  const outcomes = await Promise.allSettled(results);
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<ReplayEntryResult>).value);
}
