import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { hubMessageOf } from './hubMessage';
import { QueueNames } from '../config/queues';
import { applyErpUpdate } from '../useCases/applyErpUpdate';

/** `erp-updates` (one session per order) → the order's progress → the change, once, to the ECP. */
export async function ecpUpdater(body: unknown, context: InvocationContext): Promise<void> {
  const message = hubMessageOf(body, context);
  const result = await applyErpUpdate(message, hubServices().applyErpUpdate);
  context.info(`order ${message.sessionId}: update ${message.messageId} ${result.outcome}`, 'code' in result ? result.code : '');
}

app.serviceBusQueue('ecpUpdater', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ERP_UPDATES,
  isSessionsEnabled: true,
  handler: ecpUpdater,
});
