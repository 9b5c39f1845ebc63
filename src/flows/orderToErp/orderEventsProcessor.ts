import { app, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { processOrderEvent } from './processOrderEvent';

/** ECP order events (Event Grid schema or CloudEvents 1.0) → fetch the order → `online-orders`; the hub's own changes stop here. */
export async function orderEventsProcessor(event: EventGridEvent, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const result = await processOrderEvent(event, services.processOrderEvent, new JourneyRecorder(services.journeys, context.functionName));
  context.info(
    result.echo === true
      ? `order ${result.orderId}: the hub's own change, not sent on`
      : `order ${result.orderId} queued as ${String(result.messageId)}`,
  );
}

app.eventGrid('orderEventsProcessor', { handler: orderEventsProcessor });
