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
} as const;

export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/** The path of a function's Event Grid webhook on the host. */
export function eventGridWebhookPath(functionName: string): string {
  return `/runtime/webhooks/EventGrid?functionName=${encodeURIComponent(functionName)}`;
}
