/** The Functions host's Event Grid webhook protocol, as Event Grid speaks it. */
export const EventGridHeaders = {
  EVENT_TYPE: 'aeg-event-type',
  SUBSCRIPTION_NAME: 'aeg-subscription-name',
  DELIVERY_COUNT: 'aeg-delivery-count',
  SAS_KEY: 'aeg-sas-key',
} as const;

export const EventGridDeliveryTypes = {
  SUBSCRIPTION_VALIDATION: 'SubscriptionValidation',
  NOTIFICATION: 'Notification',
  UNSUBSCRIBE: 'Unsubscribe',
} as const;

export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/** The extension name of the Event Grid webhook (its system key is `eventgrid_extension`). */
export const EVENT_GRID_EXTENSION = 'eventgrid';

/** The path of a function's Event Grid webhook on the host, with the extension's system key. */
export function eventGridWebhookPath(functionName: string, systemKey: string): string {
  return `/runtime/webhooks/eventgrid?functionName=${encodeURIComponent(functionName)}&code=${encodeURIComponent(systemKey)}`;
}

/** The host parses webhook bodies with Json.NET, whose readers refuse nesting deeper than this. */
const HOST_JSON_MAX_DEPTH = 64;

/** Parses JSON as the host does: nesting deeper than Json.NET allows is an error, like a syntax error. */
export function parseJsonAsHost(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > HOST_JSON_MAX_DEPTH) throw new Error(`The reader's MaxDepth of ${HOST_JSON_MAX_DEPTH} has been exceeded.`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return JSON.parse(text) as unknown;
}

export interface WebhookAnswer {
  status: number;
  body?: string;
}

/**
 * Answers an Event Grid delivery as the host's Event Grid extension does (its HttpRequestProcessor
 * and config provider): the handshake with the validation code; a notification's events invoked
 * one invocation each, all at once, then 202 if every invocation succeeded and 500 otherwise
 * (Event Grid retries); `Unsubscribe` 202; any other or no `aeg-event-type` 400. A body it cannot
 * read throws inside the host: 500. The functions' own errors never change the answer.
 */
export async function answerEventGridDelivery(
  deliveryType: string | undefined,
  body: string,
  invoke: (event: unknown) => Promise<void>,
): Promise<WebhookAnswer> {
  const type = deliveryType?.toLowerCase();
  if (type === EventGridDeliveryTypes.SUBSCRIPTION_VALIDATION.toLowerCase()) {
    let code: unknown;
    try {
      const parsed = parseJsonAsHost(body);
      // A CloudEvent handshake carries its data double-encoded.
      const data = Array.isArray(parsed)
        ? (parsed[0] as { data?: unknown } | undefined)?.data
        : (parsed as { data?: unknown } | null)?.data;
      code = (
        typeof data === 'string' ? (JSON.parse(data) as { validationCode?: unknown }) : (data as { validationCode?: unknown } | undefined)
      )?.validationCode;
    } catch (error) {
      return { status: 500, body: error instanceof Error ? error.message : String(error) };
    }
    if (typeof code !== 'string') return { status: 500, body: 'Object reference not set to an instance of an object.' };
    return { status: 200, body: JSON.stringify({ validationResponse: code }) };
  }
  if (type === EventGridDeliveryTypes.NOTIFICATION.toLowerCase()) {
    let events: unknown[];
    try {
      const parsed = parseJsonAsHost(body);
      if (Array.isArray(parsed)) events = parsed;
      else if (typeof parsed === 'object' && parsed !== null) events = [parsed];
      else throw new Error(`The request content should be parseable into a JSON object or array, but was ${typeof parsed}.`);
    } catch (error) {
      return { status: 500, body: error instanceof Error ? error.message : String(error) };
    }
    const outcomes = await Promise.allSettled(events.map((event) => invoke(event)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) return { status: 500, body: failed.reason instanceof Error ? failed.reason.message : String(failed.reason) };
    return { status: 202 };
  }
  if (type === EventGridDeliveryTypes.UNSUBSCRIBE.toLowerCase()) return { status: 202 };
  return { status: 400 };
}
