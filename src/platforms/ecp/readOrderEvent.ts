import { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { assertOrderId } from '../../domain/orderId';
import { describeIssues } from '../../domain/validate';
import { EcpEventTypes, type EcpEventType } from './ecpOrderEvents';

const eventGridEventSchema = z.object({
  id: z.string().min(1),
  eventType: z.string().min(1),
  subject: z.string(),
  eventTime: z.string().min(1),
  data: z.unknown(),
  dataVersion: z.string(),
});

const cloudEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  specversion: z.literal('1.0'),
  time: z.string().optional(),
  data: z.unknown(),
});

const orderEventDataSchema = z.object({ orderId: z.unknown(), version: z.number().int().positive(), updatedBy: z.string().optional() });

export interface OrderEvent {
  eventId: string;
  eventType: EcpEventType;
  orderId: string;
  orderVersion: number;
  /** For updates: the API client that made the change. */
  updatedBy?: string;
  /** When the ECP raised the event (ISO), when the event says; Event Grid delivers it again with the same time. */
  eventTime?: string;
  schema: 'EventGridSchema' | 'CloudEventSchemaV1_0';
}

const knownTypes = new Set<string>(Object.values(EcpEventTypes));

/** Reads an ECP order event in the Event Grid schema or as a CloudEvent 1.0; refuses anything else. */
export function readOrderEvent(event: unknown): OrderEvent {
  const isCloudEvent = typeof event === 'object' && event !== null && 'specversion' in event;
  const envelope = isCloudEvent ? cloudEventSchema.safeParse(event) : eventGridEventSchema.safeParse(event);
  if (!envelope.success) {
    const details = describeIssues(envelope.error);
    throw new HubError(ErrorCodes.EVENT_INVALID, `not a valid ${isCloudEvent ? 'CloudEvent' : 'Event Grid event'}: ${details.join('; ')}`, {
      transient: false,
      details,
    });
  }
  const eventType = 'type' in envelope.data ? envelope.data.type : envelope.data.eventType;
  if (!knownTypes.has(eventType)) {
    throw new HubError(
      ErrorCodes.EVENT_UNKNOWN_TYPE,
      `unknown event type ${JSON.stringify(eventType)}; expected one of ${[...knownTypes].join(', ')}`,
      {
        transient: false,
      },
    );
  }
  const data = orderEventDataSchema.safeParse(envelope.data.data);
  if (!data.success) {
    const details = describeIssues(data.error).map((d) => `data.${d}`);
    throw new HubError(ErrorCodes.EVENT_INVALID, `event ${envelope.data.id} has invalid data: ${details.join('; ')}`, {
      transient: false,
      details,
    });
  }
  return {
    eventId: envelope.data.id,
    eventType: eventType as EcpEventType,
    orderId: assertOrderId(data.data.orderId),
    orderVersion: data.data.version,
    ...(data.data.updatedBy === undefined ? {} : { updatedBy: data.data.updatedBy }),
    ...eventTimeOf(envelope.data),
    schema: isCloudEvent ? 'CloudEventSchemaV1_0' : 'EventGridSchema',
  };
}

function eventTimeOf(envelope: { eventTime?: string; time?: string | undefined }): { eventTime?: string } {
  const time = envelope.eventTime ?? envelope.time;
  return time !== undefined && !Number.isNaN(Date.parse(time)) ? { eventTime: time } : {};
}

/**
 * What can be told of an event that cannot be read whole: its id and order id, where they are
 * there and valid, so that the event can be parked under them.
 */
export function identifyOrderEvent(event: unknown): { eventId?: string; orderId?: string } {
  if (typeof event !== 'object' || event === null) return {};
  const { id, data } = event as { id?: unknown; data?: unknown };
  const orderId = typeof data === 'object' && data !== null ? (data as { orderId?: unknown }).orderId : undefined;
  let validOrderId: string | undefined;
  try {
    validOrderId = assertOrderId(orderId);
  } catch {
    validOrderId = undefined;
  }
  return {
    ...(typeof id === 'string' && id !== '' ? { eventId: id } : {}),
    ...(validOrderId === undefined ? {} : { orderId: validOrderId }),
  };
}
