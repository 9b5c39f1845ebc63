import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { priceSync } from './priceSync';
import { reportStockRun } from './reportStockRun';

/** Timer (STOCK_PRICE_SYNC_SCHEDULE): the ERP's prices valid today to the shop, only what changed. */
export async function stockPriceSync(timer: Timer, context: InvocationContext): Promise<void> {
  reportStockRun(await priceSync(hubServices().stock), context, timer.isPastDue);
}

app.timer('stockPriceSync', { schedule: '%STOCK_PRICE_SYNC_SCHEDULE%', handler: stockPriceSync });
