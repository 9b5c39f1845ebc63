import { randomBytes } from 'node:crypto';
import type { ParkedMessagesPort } from '../../ports/ParkedMessagesPort';
import type { ReplayJobsPort } from '../../ports/ReplayJobsPort';
import { entryKeyOf, selectParked, type ReplaySelection } from './dryRunReplay';
import type { ReplayJobInput } from '../../domain/replayJob';

/** Entries one job replays at most: a larger selection is refused (narrow it by group or date). */
export const MAX_JOB_ENTRIES = 10_000;

export interface StartReplayDeps {
  parked: Pick<ParkedMessagesPort, 'overview'>;
  jobs: ReplayJobsPort;
  now: () => Date;
}

export type StartedReplay = { started: true; jobId: string; entries: number; rate: number } | { started: false; reason: string };

/** A job id that sorts by time and says what it is. */
export function replayJobId(now: Date): string {
  return `replay-${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Starts a replay job for the open parked entries a selection names, at a rate; the entries are
 * fixed now, so that entries parked later are not swept in.
 */
export async function startReplay(
  selection: ReplaySelection,
  request: { rate: number; by: string },
  deps: StartReplayDeps,
): Promise<StartedReplay> {
  const chosen = selectParked(await deps.parked.overview('open'), selection);
  if (chosen.length === 0) return { started: false, reason: 'the selection names no open parked entry' };
  if (chosen.length > MAX_JOB_ENTRIES)
    return {
      started: false,
      reason: `the selection names ${chosen.length} entries; one job replays at most ${MAX_JOB_ENTRIES} (choose a group or entries)`,
    };
  const now = deps.now();
  const jobId = replayJobId(now);
  const input: ReplayJobInput = {
    by: request.by,
    rate: request.rate,
    requestedAt: now.toISOString(),
    entries: chosen.map((m) => ({ ...entryKeyOf(m), parkedAt: m.parkedAt })),
  };
  await deps.jobs.start(jobId, input);
  return { started: true, jobId, entries: chosen.length, rate: request.rate };
}
