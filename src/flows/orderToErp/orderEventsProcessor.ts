import { app, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { requestStep } from '../shared/tracedSteps';
import { processOrderEvent } from './processOrderEvent';

/** ECP order events (Event Grid schema or CloudEvents 1.0) → fetch the order → `online-orders`; the hub's own changes stop here. */
export async function orderEventsProcessor(event: EventGridEvent, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const orderId = (event.data as { orderId?: unknown } | undefined)?.orderId;
  await requestStep(
    context.functionName,
    typeof orderId === 'string' && orderId !== '' ? { orderId } : undefined,
    // A CloudEvent's distributed tracing extension, when the ECP sets one.
    event as unknown as Record<string, unknown>,
    async () => {
      const result = await processOrderEvent(
        event,
        services.processOrderEvent,
        new JourneyRecorder(services.journeys, context.functionName),
      );
      switch (result.outcome) {
        case 'queued':
          return context.info(`order ${result.orderId} queued as ${result.messageId}`);
        case 'echo':
          return context.info(`order ${result.orderId}: the hub's own change, not sent on`);
        case 'parked':
          return context.warn(`event parked with ${result.code}${result.orderId === undefined ? '' : ` (order ${result.orderId})`}`);
      }
    },
  );
}

app.eventGrid('orderEventsProcessor', { handler: orderEventsProcessor });
