import { app, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { hubServices } from '../composition/hubServices';
import { acceptOrderEvent } from '../useCases/acceptOrderEvent';

/** ECP order events (Event Grid schema or CloudEvents 1.0) → fetch the order → `online-orders`; the hub's own changes stop here. */
export async function orderEventsProcessor(event: EventGridEvent, context: InvocationContext): Promise<void> {
  const result = await acceptOrderEvent(event, hubServices().acceptOrderEvent);
  context.info(
    result.echo === true
      ? `order ${result.orderId}: the hub's own change, not sent on`
      : `order ${result.orderId} queued as ${String(result.messageId)}`,
  );
}

app.eventGrid('orderEventsProcessor', { handler: orderEventsProcessor });
