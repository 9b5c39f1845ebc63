import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import {
  asStatus,
  batchSize,
  ReplayJobFunctions,
  startProgress,
  withResults,
  type ReplayBatchInput,
  type ReplayEntryResult,
  type ReplayJobInput,
} from '../../domain/replayJob';
import { batchesOf } from '../../domain/batches';

/** A batch whose storage or queue failed is tried again; after the last attempt the job fails, its progress kept. */
const batchRetry = (() => {
  const options = new df.RetryOptions(5_000, 5);
  options.backoffCoefficient = 2;
  return options;
})();

/**
 * A replay job: the chosen parked entries, a batch at a time, each batch replayed at the job's rate
 * by `replayBatch`; its progress is the custom status after every batch and its output at the end.
 * Cancelling is terminating it: the batch under way finishes, no other starts. Deterministic: all
 * it knows comes from its input and its batches' results.
 */
export const replayJobOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ReplayJobInput>();
  const jobId = context.df.instanceId;
  let progress = startProgress(jobId, input, context.df.currentUtcDateTime);
  context.df.setCustomStatus(asStatus(progress));
  const startedAt = context.df.currentUtcDateTime.getTime();
  let before = 0;
  for (const entries of batchesOf(input.entries, batchSize(input.rate))) {
    const firstDueAt = new Date(startedAt + (before * 1000) / input.rate).toISOString();
    before += entries.length;
    const batch: ReplayBatchInput = { jobId, by: input.by, rate: input.rate, entries, firstDueAt };
    const results = (yield context.df.callActivityWithRetry(ReplayJobFunctions.BATCH, batchRetry, batch)) as ReplayEntryResult[];
    progress = withResults(progress, results, context.df.currentUtcDateTime);
    context.df.setCustomStatus(asStatus(progress));
  }
  return progress;
};

// Its name is ReplayJobFunctions.ORCHESTRATION, the name a job is started by.
df.app.orchestration('replayJob', replayJobOrchestrator);
