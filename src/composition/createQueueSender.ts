import type { Settings } from '../config/settings';
import { LOCAL_SERVICE_BUS_CONNECTION } from '../adapters/localServiceBus/localBusEnvelope';
import { LocalServiceBusSender } from '../adapters/localServiceBus/LocalServiceBusSender';
import { ServiceBusQueueSender } from '../adapters/serviceBus/ServiceBusQueueSender';
import type { QueueSenderPort } from '../ports/QueueSenderPort';

/** Azure Service Bus in Azure; the storage-queue stand-in when the connection says `UseDevelopmentServiceBus=true`. */
export function createQueueSender(settings: Settings): QueueSenderPort {
  const connection = settings.ServiceBusConnection;
  if (connection?.trim() === LOCAL_SERVICE_BUS_CONNECTION) return new LocalServiceBusSender(settings.AzureWebJobsStorage);
  if (connection !== undefined) return new ServiceBusQueueSender({ connectionString: connection });
  return new ServiceBusQueueSender({ fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace ?? '' });
}
