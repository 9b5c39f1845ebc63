import { ErrorCodes } from './errorCodes';
import { HubError } from './HubError';

/** ECP order ids: letters, digits, dash and underscore; nothing that could steer a URL or a table key. */
const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Whether a text is an ECP order id (nothing that could steer a URL or a table key). */
export function isOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID_PATTERN.test(value);
}

export function assertOrderId(value: unknown): string {
  if (typeof value === 'string' && ORDER_ID_PATTERN.test(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
  throw new HubError(ErrorCodes.ORDER_ID_INVALID, `order id ${shown} is not a valid ECP order id`, {
    transient: false,
    details: ['orderId must match ' + ORDER_ID_PATTERN.source],
  });
}
