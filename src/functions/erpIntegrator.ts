import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { hubMessageOf } from './hubMessage';
import { QueueNames } from '../config/queues';
import { integrateOrder } from '../useCases/integrateOrder';

/** `online-orders` (one session per order) → map → create the sales order in the ERP, once. */
export async function erpIntegrator(body: unknown, context: InvocationContext): Promise<void> {
  const message = hubMessageOf(body, context);
  const result = await integrateOrder(message, hubServices().integrateOrder);
  context.info(`order ${message.sessionId}: ${result.outcome}`, 'code' in result ? result.code : '');
}

app.serviceBusQueue('erpIntegrator', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ONLINE_ORDERS,
  isSessionsEnabled: true,
  handler: erpIntegrator,
});
