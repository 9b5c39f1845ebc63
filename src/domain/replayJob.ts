/** What names one parked entry: its source, its order and, where an order has several, the message. */
export interface ParkedEntryKey {
  source: string;
  orderId: string;
  messageId?: string;
}

/** An entry a job chose: its key, and when it was parked (an entry parked again since is another failure, not the job's). */
export interface ChosenEntry extends ParkedEntryKey {
  parkedAt: string;
}

/** The orchestration and activity of a replay job, part of the contract with the Durable task hub. */
export const ReplayJobFunctions = {
  ORCHESTRATION: 'replayJob',
  BATCH: 'replayBatch',
} as const;

/** Replays per second an operator may ask for; the default when they do not say. */
export const REPLAY_RATE = { min: 1, max: 100, default: 10 } as const;
/** A batch is about this many seconds of replays: progress shows and a cancel takes effect between batches. */
const BATCH_SECONDS = 2;
/** Problems (entries kept or gone) a job's status shows; its output keeps more. */
const PROBLEMS_IN_STATUS = 20;
const PROBLEMS_IN_OUTPUT = 1_000;

/** What a replay job was asked to do, fixed when it starts (every replay of the orchestration sees the same). */
export interface ReplayJobInput {
  by: string;
  /** Replays per second. */
  rate: number;
  requestedAt: string;
  /** The open parked entries chosen when the job was asked for. */
  entries: ChosenEntry[];
}

/** One batch, as the orchestration hands it to `replayBatch`. */
export interface ReplayBatchInput {
  jobId: string;
  by: string;
  rate: number;
  entries: ChosenEntry[];
  /**
   * When the batch's first entry is due (ISO): the job's start plus the entries before it at the
   * rate, so that the time between batches is made up and the job keeps to its rate overall.
   */
  firstDueAt?: string;
}

/** What became of one entry: replayed; kept (it would fail again, or failed again); gone (replayed or resolved meanwhile). */
export interface ReplayEntryResult extends ParkedEntryKey {
  outcome: 'replayed' | 'kept' | 'gone';
  detail: string;
  code?: string;
}

/** A replay job's progress: its custom status while it runs, its output when done. */
export interface ReplayJobProgress {
  jobId: string;
  by: string;
  rate: number;
  requestedAt: string;
  total: number;
  done: number;
  replayed: number;
  kept: number;
  gone: number;
  /** The entries kept or gone, newest last (a few in the status, more in the output). */
  problems: ReplayEntryResult[];
  updatedAt: string;
}

export function batchSize(rate: number): number {
  return Math.max(1, Math.round(rate * BATCH_SECONDS));
}

export function startProgress(jobId: string, input: ReplayJobInput, at: Date): ReplayJobProgress {
  return {
    jobId,
    by: input.by,
    rate: input.rate,
    requestedAt: input.requestedAt,
    total: input.entries.length,
    done: 0,
    replayed: 0,
    kept: 0,
    gone: 0,
    problems: [],
    updatedAt: at.toISOString(),
  };
}

/** The progress after a batch. */
export function withResults(progress: ReplayJobProgress, results: readonly ReplayEntryResult[], at: Date): ReplayJobProgress {
  const count = (outcome: ReplayEntryResult['outcome']): number => results.filter((r) => r.outcome === outcome).length;
  const problems = [...progress.problems, ...results.filter((r) => r.outcome !== 'replayed')];
  return {
    ...progress,
    done: progress.done + results.length,
    replayed: progress.replayed + count('replayed'),
    kept: progress.kept + count('kept'),
    gone: progress.gone + count('gone'),
    problems: problems.slice(-PROBLEMS_IN_OUTPUT),
    updatedAt: at.toISOString(),
  };
}

/** The progress as the job's custom status shows it: a few problems only (a custom status is kept small). */
export function asStatus(progress: ReplayJobProgress): ReplayJobProgress {
  return { ...progress, problems: progress.problems.slice(-PROBLEMS_IN_STATUS) };
}
