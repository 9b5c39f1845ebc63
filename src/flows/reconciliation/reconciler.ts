import { app, type InvocationContext, type Timer } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { describeRun } from './describeRun';
import { reconcileOrders } from './reconcileOrders';

/**
 * Timer (RECONCILER_SCHEDULE): compares the ECP's recent orders with the ledger and brings any the
 * hub never heard of, or lost track of, on their way. A run that could not list the ECP's orders
 * fails the invocation, after its summary is kept, so the function-failure alert sees it.
 */
export async function reconciler(timer: Timer, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const run = await reconcileOrders(services.reconcile, new JourneyRecorder(services.journeys, context.functionName), context.functionName);
  const summary = describeRun(run);
  if (run.outcome === 'Failed') throw new Error(summary);
  if (run.outcome === 'Partial') context.warn(summary);
  else context.info(`${summary}${timer.isPastDue ? ' (past due)' : ''}`);
}

app.timer('reconciler', { schedule: '%RECONCILER_SCHEDULE%', handler: reconciler });
