import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { deltaSync } from './deltaSync';
import { reportStockRun } from './reportStockRun';

/** Timer (STOCK_SYNC_SCHEDULE): brings the ERP's stock changes since the last run to the shop. */
export async function stockDeltaSync(timer: Timer, context: InvocationContext): Promise<void> {
  reportStockRun(await deltaSync(hubServices().stock), context, timer.isPastDue);
}

app.timer('stockDeltaSync', { schedule: '%STOCK_SYNC_SCHEDULE%', handler: stockDeltaSync });
