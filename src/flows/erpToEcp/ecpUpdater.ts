import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { QueueNames } from '../../config/queues';
import { hubMessageOf } from '../shared/hubMessage';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { deliveryStep } from '../shared/tracedSteps';
import { updateEcpOrder } from './updateEcpOrder';

/** `erp-updates` (one session per order) → the order's progress → the change, once, to the ECP. */
export async function ecpUpdater(body: unknown, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const message = hubMessageOf(body, context.triggerMetadata);
  await deliveryStep(context.functionName, QueueNames.ERP_UPDATES, message, { orderId: message.sessionId }, async () => {
    const result = await updateEcpOrder(message, services.updateEcpOrder, new JourneyRecorder(services.journeys, context.functionName));
    context.info(`order ${message.sessionId}: update ${message.messageId} ${result.outcome}`, 'code' in result ? result.code : '');
  });
}

app.serviceBusQueue('ecpUpdater', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ERP_UPDATES,
  isSessionsEnabled: true,
  handler: ecpUpdater,
});
