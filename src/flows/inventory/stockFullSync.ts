import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { hubServices } from '../../composition/hubServices';
import type { StockRun } from '../../domain/stockRun';
import { failFullSync, fullSyncPart } from './fullSync';
import { StockFullSyncFunctions } from './startFullSync';

/** A part whose shop or ERP calls kept failing is tried again; after the last attempt the run is Failed, its progress kept. */
const partRetry = (() => {
  const options = new df.RetryOptions(10_000, 6);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 120_000;
  return options;
})();

/** What the orchestration shows as it goes (its custom status) and at the end (its output). */
const summaryOf = (run: StockRun) => ({ runId: run.runId, status: run.status, counts: run.counts, progress: run.progress });

/**
 * A full reconciliation: `stockFullSyncPart` again and again, each going on from the progress the
 * last one kept, until the shop's last page is done. Deterministic: all it knows comes from its
 * input and its parts' results.
 */
export const stockFullSyncOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { runId } = context.df.getInput<{ runId: string }>();
  for (;;) {
    let run: StockRun;
    try {
      run = (yield context.df.callActivityWithRetry(StockFullSyncFunctions.PART, partRetry, { runId })) as StockRun;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      yield context.df.callActivity(StockFullSyncFunctions.FAILED, { runId, reason });
      return { runId, status: 'Failed', reason };
    }
    context.df.setCustomStatus(summaryOf(run));
    if (run.progress?.done !== false) return summaryOf(run);
  }
};

df.app.orchestration('stockFullSync', stockFullSyncOrchestrator);

df.app.activity('stockFullSyncPart', { handler: async (input: { runId: string }) => await fullSyncPart(hubServices().stock, input.runId) });

df.app.activity('stockFullSyncFailed', {
  handler: async (input: { runId: string; reason: string }) => {
    await failFullSync(hubServices().stock, input.runId, input.reason);
  },
});
