import type { TokenCredential } from '@azure/core-auth';
import { parseServiceBusConnectionString, usesRestApi } from '../config/serviceBusConnectionString';
import { ServiceBusQueueSender } from '../adapters/serviceBus/ServiceBusQueueSender';
import { ServiceBusRestSender } from '../adapters/serviceBus/ServiceBusRestSender';
import type { Settings } from '../config/settings';
import type { QueueSenderPort } from '../ports/QueueSenderPort';
import type { QueueDepthsPort } from '../ports/QueueDepthsPort';
import { RestQueueDepths } from '../adapters/serviceBus/RestQueueDepths';
import { ArmQueueDepths } from '../adapters/serviceBus/ArmQueueDepths';
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

/**
 * Where the queues' depths are read: the management REST API with a connection string's key (the
 * local namespace too); Azure Resource Manager with the managed identity, given the namespace's
 * resource id (SERVICE_BUS_RESOURCE_ID); else they are reported unavailable, saying why.
 */
export function createQueueDepths(settings: Settings, credential: TokenCredential = azureAccessOf(settings).credential): QueueDepthsPort {
  const connection = settings.ServiceBusConnection;
  if (connection !== undefined) return new RestQueueDepths(parseServiceBusConnectionString(connection));
  const resourceId = settings.SERVICE_BUS_RESOURCE_ID;
  if (resourceId !== undefined) return new ArmQueueDepths(resourceId, credential);
  return {
    depths: (queues) => Promise.resolve(queues.map((queue) => ({ queue, unavailable: 'SERVICE_BUS_RESOURCE_ID is not set' }))),
  };
}
