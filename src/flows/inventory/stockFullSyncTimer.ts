import * as df from 'durable-functions';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { startFullSync, startingWith } from './startFullSync';

const clientInput = df.input.durableClient();

/** Timer (STOCK_FULL_SYNC_SCHEDULE, nightly): starts a full stock reconciliation, unless one is under way. */
export async function stockFullSyncTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const outcome = await startFullSync({
    state: hubServices().stock.state,
    now: () => new Date(),
    start: startingWith(df.getClient(context)),
  });
  if ('running' in outcome) context.warn(`a full stock reconciliation is under way (${outcome.running.runId}): none started`);
  else context.info(`full stock reconciliation ${outcome.started.runId} started`);
}

app.timer('stockFullSyncTimer', { schedule: '%STOCK_FULL_SYNC_SCHEDULE%', extraInputs: [clientInput], handler: stockFullSyncTimer });
