import { app, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { MessageProperties, QueueNames } from '../config/queues';
import { applyErpUpdate } from '../useCases/applyErpUpdate';

/** `erp-updates` (one session per order) → the order's progress → the change, once, to the ECP. */
export async function ecpUpdater(body: unknown, context: InvocationContext): Promise<void> {
  const metadata = context.triggerMetadata ?? {};
  const properties = (metadata.applicationProperties ?? {}) as Record<string, unknown>;
  const result = await applyErpUpdate(
    {
      body,
      messageId: String(metadata.messageId),
      sessionId: String(metadata.sessionId),
      ...(typeof metadata.correlationId === 'string' ? { correlationId: metadata.correlationId } : {}),
      attempt: Number(properties[MessageProperties.ATTEMPT] ?? 1),
      applicationProperties: properties,
    },
    hubServices().applyErpUpdate,
  );
  context.info(`order ${String(metadata.sessionId)}: update ${String(metadata.messageId)} ${result.outcome}`, 'code' in result ? result.code : '');
}

app.serviceBusQueue('ecpUpdater', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.ERP_UPDATES,
  isSessionsEnabled: true,
  handler: ecpUpdater,
});
