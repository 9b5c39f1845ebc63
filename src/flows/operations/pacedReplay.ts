import type { JourneyRecorder } from '../shared/JourneyRecorder';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import { replayEntry, type ReplayDeps } from './replayParked';
import type { ParkedEntryKey, ReplayBatchInput, ReplayEntryResult } from '../../domain/replayJob';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The open parked entry a key names (read by its key), if it is still parked and open. */
async function openEntry(parked: ParkedMessagesPort, key: ParkedEntryKey) {
  const entry = await parked.get(key.source, key.orderId, key.messageId);
  return entry?.resolution === undefined ? entry : undefined;
}

/** Entries replayed at once at most: each waits on storage and the queue, so a rate above what one at a time reaches needs several. */
const MAX_IN_FLIGHT = 32;

async function replayOne(
  key: ParkedEntryKey,
  input: ReplayBatchInput,
  deps: ReplayDeps,
  journeys: JourneyRecorder,
): Promise<ReplayEntryResult> {
  const entry = await openEntry(deps.parked, key);
  if (entry === undefined) return { ...key, outcome: 'gone', detail: 'no longer parked: replayed or resolved meanwhile' };
  const result = await replayEntry(entry, deps, journeys, { by: input.by, jobId: input.jobId });
  return {
    ...key,
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
  const started = input.firstDueAt === undefined ? Date.now() : Date.parse(input.firstDueAt);
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
