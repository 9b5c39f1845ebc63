import type { TokenCredential } from '@azure/core-auth';
import { parseServiceBusConnectionString, usesRestApi } from '../config/serviceBusConnectionString';
import { ServiceBusQueueSender } from '../adapters/serviceBus/ServiceBusQueueSender';
import { ServiceBusRestSender } from '../adapters/serviceBus/ServiceBusRestSender';
import type { Settings } from '../config/settings';
import type { QueueSenderPort } from '../ports/QueueSenderPort';
import { azureAccessOf } from './azureAccess';

/**
 * Azure Service Bus through the SDK (AMQP) with the managed identity or an `sb://` connection
 * string; through the REST API for an `http(s)://` endpoint, as the local namespace offers.
 */
export function createQueueSender(settings: Settings, credential: TokenCredential = azureAccessOf(settings).credential): QueueSenderPort {
  const connection = settings.ServiceBusConnection;
  if (connection === undefined)
    return new ServiceBusQueueSender({ fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace ?? '', credential });
  const parsed = parseServiceBusConnectionString(connection);
  return usesRestApi(parsed) ? new ServiceBusRestSender(parsed) : new ServiceBusQueueSender({ connectionString: connection });
}
