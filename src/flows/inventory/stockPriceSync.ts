import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { describeStockRun } from '../../domain/stockRun';
import { priceSync } from './priceSync';

/** Timer (STOCK_PRICE_SYNC_SCHEDULE): the ERP's prices valid today to the shop, only what changed. */
export async function stockPriceSync(timer: Timer, context: InvocationContext): Promise<void> {
  const run = await priceSync(hubServices().stock);
  const summary = describeStockRun(run);
  if (run.status === 'Failed') throw new Error(summary);
  if (run.status === 'Partial') context.warn(summary);
  else context.info(`${summary}${timer.isPastDue ? ' (past due)' : ''}`);
}

app.timer('stockPriceSync', { schedule: '%STOCK_PRICE_SYNC_SCHEDULE%', handler: stockPriceSync });
