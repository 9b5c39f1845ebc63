import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { MessageProperties, QueueNames } from '../config/queues';
import { integrateOrder } from '../useCases/integrateOrder';

/** `online-orders` (one session per order) → map → create the sales order in the ERP, once. */
export async function erpIntegrator(body: unknown, context: InvocationContext): Promise<void> {
  const metadata = context.triggerMetadata ?? {};
  const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
  const result = await integrateOrder(
    {
      body,
      messageId: String(metadata.messageId),
      sessionId: String(metadata.sessionId),
      ...(typeof metadata.correlationId === 'string' ? { correlationId: metadata.correlationId } : {}),
      attempt: Number(properties[MessageProperties.ATTEMPT] ?? 1),
      applicationProperties: properties,
    },
    hubServices().integrateOrder,
  );
  context.info(`order ${String(metadata.sessionId)}: ${result.outcome}`, 'code' in result ? result.code : '');
}

app.serviceBusQueue('erpIntegrator', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ONLINE_ORDERS,
  isSessionsEnabled: true,
  handler: erpIntegrator,
});
