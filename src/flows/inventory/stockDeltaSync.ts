import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { describeStockRun } from '../../domain/stockRun';
import { deltaSync } from './deltaSync';

/**
 * Timer (STOCK_SYNC_SCHEDULE): brings the ERP's stock changes since the last run to the shop. A
 * run that could not do its work fails the invocation, after it is kept, so the function-failure
 * alert sees it; a Partial one is a warning naming what was refused.
 */
export async function stockDeltaSync(timer: Timer, context: InvocationContext): Promise<void> {
  const run = await deltaSync(hubServices().stock);
  const summary = describeStockRun(run);
  if (run.status === 'Failed') throw new Error(summary);
  if (run.status === 'Partial') context.warn(summary);
  else context.info(`${summary}${timer.isPastDue ? ' (past due)' : ''}`);
}

app.timer('stockDeltaSync', { schedule: '%STOCK_SYNC_SCHEDULE%', handler: stockDeltaSync });
