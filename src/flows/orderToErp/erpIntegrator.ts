import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { QueueNames } from '../../config/queues';
import { hubMessageOf } from '../shared/hubMessage';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { deliveryStep } from '../shared/tracedSteps';
import { integrateOrder } from './integrateOrder';

/** `online-orders` (one session per order) → map → create the sales order in the ERP, once. */
export async function erpIntegrator(body: unknown, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const message = hubMessageOf(body, context.triggerMetadata);
  await deliveryStep(context.functionName, QueueNames.ONLINE_ORDERS, message, { orderId: message.sessionId }, async () => {
    const result = await integrateOrder(message, services.integrateOrder, new JourneyRecorder(services.journeys, context.functionName));
    context.info(`order ${message.sessionId}: ${result.outcome}`, 'code' in result ? result.code : '');
  });
}

app.serviceBusQueue('erpIntegrator', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ONLINE_ORDERS,
  isSessionsEnabled: true,
  handler: erpIntegrator,
});
