import type { JourneyRecorder } from '../shared/JourneyRecorder';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import { replayEntry, type ReplayDeps } from './replayParked';
import type { ParkedEntryKey, ReplayBatchInput, ReplayEntryResult } from '../../domain/replayJob';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The open parked entry a key names, if it is still parked and open. */
async function openEntry(parked: ParkedMessagesPort, key: ParkedEntryKey) {
  return (await parked.ofOrder(key.orderId)).find(
    (m) => m.source === key.source && m.messageId === key.messageId && m.resolution === undefined,
  );
}

/**
 * Replays one batch of a job, an entry every 1/rate seconds. Run again (Durable runs activities at
 * least once), it finds what it replayed gone from `parked`, and a message it sent is sent under
 * the same id (the queue drops the second).
 */
export async function replayBatchOf(input: ReplayBatchInput, deps: ReplayDeps, journeys: JourneyRecorder): Promise<ReplayEntryResult[]> {
  const started = Date.now();
  const results: ReplayEntryResult[] = [];
  for (const [index, key] of input.entries.entries()) {
    const due = started + (index * 1000) / input.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const entry = await openEntry(deps.parked, key);
    if (entry === undefined) {
      results.push({ ...key, outcome: 'gone', detail: 'no longer parked: replayed or resolved meanwhile' });
      continue;
    }
    const result = await replayEntry(entry, deps, journeys, { by: input.by, jobId: input.jobId });
    results.push({
      ...key,
      outcome: result.outcome,
      detail: result.detail,
      ...(result.outcome === 'kept' && result.code !== undefined ? { code: result.code } : {}),
    });
  }
  return results;
}
