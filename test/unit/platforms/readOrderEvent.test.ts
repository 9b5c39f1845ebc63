import { ErrorCodes } from '../../../src/domain/errorCodes';
import { readOrderEvent } from '../../../src/platforms/ecp/readOrderEvent';

const eventGridEvent = {
  id: 'e1',
  eventType: 'Ecp.Order.Created',
  subject: 'orders/10001',
  eventTime: '2026-11-23T10:00:00Z',
  dataVersion: '1.0',
  data: { orderId: '10001', version: 2 },
};
const cloudEvent = { id: 'e2', type: 'Ecp.Order.Created', source: '/ecp', specversion: '1.0', data: { orderId: '10001', version: 3 } };

describe('readOrderEvent', () => {
  it('reads the Event Grid schema', () => {
    expect(readOrderEvent(eventGridEvent)).toEqual({
      eventId: 'e1',
      eventType: 'Ecp.Order.Created',
      orderId: '10001',
      orderVersion: 2,
      eventTime: '2026-11-23T10:00:00Z',
      schema: 'EventGridSchema',
    });
  });

  it('reads CloudEvents 1.0, with their time when they give one', () => {
    expect(readOrderEvent(cloudEvent)).toMatchObject({ eventId: 'e2', orderVersion: 3, schema: 'CloudEventSchemaV1_0' });
    expect(readOrderEvent(cloudEvent)).not.toHaveProperty('eventTime');
    expect(readOrderEvent({ ...cloudEvent, time: '2026-11-23T10:00:05Z' })).toMatchObject({ eventTime: '2026-11-23T10:00:05Z' });
  });

  it('refuses an unknown event type, naming the known ones', () => {
    expect(() => readOrderEvent({ ...eventGridEvent, eventType: 'Ecp.Customer.Created' })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.EVENT_UNKNOWN_TYPE,
        transient: false,
        message: expect.stringContaining('Ecp.Order.Created'),
      }),
    );
  });

  it('refuses an envelope without its required fields, naming them', () => {
    const { eventTime: _t, ...noTime } = eventGridEvent;
    expect(() => readOrderEvent(noTime)).toThrow(
      expect.objectContaining({ code: ErrorCodes.EVENT_INVALID, message: expect.stringContaining('eventTime') }),
    );
  });

  it('refuses data without a version', () => {
    expect(() => readOrderEvent({ ...eventGridEvent, data: { orderId: '10001' } })).toThrow(
      expect.objectContaining({ code: ErrorCodes.EVENT_INVALID, message: expect.stringContaining('data.version') }),
    );
  });

  it.each(['../../admin', 'a/b', '', ' 1', '1?x=2', 'x'.repeat(65)])('refuses the order id %j', (orderId) => {
    expect(() => readOrderEvent({ ...eventGridEvent, data: { orderId, version: 1 } })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ORDER_ID_INVALID, transient: false }),
    );
  });
});
