import { QueueServiceClient } from '@azure/storage-queue';
import type { CoreLog, FunctionRegistration, RpcTypedData } from '../functionsCore';
import type { HostConfig } from '../hostConfig';
import { jsonData, stringData } from '../invokeFunction';
import { DuplicateDetectionLog } from './DuplicateDetectionLog';
import { deadLetterQueueName, readConnectionString, readQueueDefinition } from './localBus';
import { LocalQueueReceiver, type ReceivedMessage } from './LocalQueueReceiver';
import { NamespaceNotices } from './NamespaceNotices';

/** A message's expiry when its queue keeps messages forever (no time to live), as Service Bus reports it. */
const NEVER_EXPIRES = '9999-12-31T23:59:59.9999999Z';

export interface ServiceBusTriggerOptions {
  /** Where the local namespace keeps its queues; no trigger starts without it. */
  storageConnectionString: string | undefined;
  hostConfig: HostConfig;
  pollIntervalMs: number;
  log: CoreLog;
}

/** Runs one invocation with the trigger's input and metadata; throws when the function failed. */
export type InvokeWith = (
  registration: FunctionRegistration,
  data: RpcTypedData,
  metadata: Record<string, RpcTypedData>,
) => Promise<unknown>;

/**
 * A receiver for each Service Bus trigger, on the queue of the local namespace its connection
 * setting names, with the queue's own properties and host.json's concurrency. A trigger the host
 * could not receive for (no such namespace or queue, sessions asked of a queue without them, or the
 * other way round) is not started, and the log says why, as the Functions host keeps failing it.
 */
export async function startServiceBusTriggers(
  registrations: readonly FunctionRegistration[],
  options: ServiceBusTriggerOptions,
  invoke: InvokeWith,
): Promise<LocalQueueReceiver[]> {
  const storage = options.storageConnectionString;
  const service = storage === undefined ? undefined : QueueServiceClient.fromConnectionString(storage);
  const duplicates = storage === undefined ? undefined : new DuplicateDetectionLog(storage);
  const receivers: LocalQueueReceiver[] = [];
  for (const registration of registrations) {
    const { trigger } = registration;
    if (trigger.type !== 'serviceBusTrigger') continue;
    const queueName = String(trigger.queueName);
    const connection = readConnectionString(process.env[String(trigger.connection)] ?? '');
    const notStarted = (why: string): void =>
      options.log('error', 'host', `${registration.metadata.name}: ${why}; the trigger is not started`);
    if (connection === undefined || !/^https?:\/\//i.test(connection.endpoint)) {
      notStarted(`setting ${String(trigger.connection)} does not name a local Service Bus namespace (Endpoint=http://…)`);
      continue;
    }
    if (service === undefined || duplicates === undefined || storage === undefined) {
      notStarted('the local runtime was given no Service Bus storage');
      continue;
    }
    const queue = await readQueueDefinition(storage, queueName);
    if (queue === undefined) {
      notStarted(`The messaging entity '${queueName}' could not be found`);
      continue;
    }
    const sessionsEnabled = trigger.isSessionsEnabled === true;
    if (sessionsEnabled !== queue.requiresSession) {
      notStarted(
        `isSessionsEnabled is ${sessionsEnabled} but queue ${queueName} ${queue.requiresSession ? 'requires' : 'does not take'} sessions`,
      );
      continue;
    }
    const serviceBus = options.hostConfig.extensions.serviceBus;
    const receiver = new LocalQueueReceiver(
      service.getQueueClient(queueName),
      service.getQueueClient(deadLetterQueueName(queueName)),
      duplicates,
      {
        queue,
        sessionsEnabled,
        maxConcurrent: sessionsEnabled ? serviceBus.maxConcurrentSessions : serviceBus.maxConcurrentCalls,
        maxAutoLockRenewalMs: serviceBus.maxAutoLockRenewalDuration,
        pollIntervalMs: options.pollIntervalMs,
        notices: new NamespaceNotices(connection, queueName),
      },
      async (message) => {
        const { data, metadata } = serviceBusBinding(message);
        await invoke(registration, data, metadata);
      },
      (line) => options.log('information', `servicebus/${queueName}`, line),
    );
    await receiver.start();
    receivers.push(receiver);
  }
  return receivers;
}

/** A message as the Service Bus extension binds it for an out-of-process worker: the body as text, its properties as metadata. */
function serviceBusBinding(message: ReceivedMessage): { data: RpcTypedData; metadata: Record<string, RpcTypedData> } {
  const { envelope } = message;
  return {
    data: stringData(envelope.body),
    metadata: {
      MessageId: stringData(envelope.messageId),
      DeliveryCount: jsonData(message.deliveryCount),
      SequenceNumber: jsonData(envelope.sequenceNumber),
      LockToken: stringData(message.lockToken),
      EnqueuedTimeUtc: stringData(envelope.enqueuedTimeUtc),
      ExpiresAtUtc: stringData(NEVER_EXPIRES),
      ContentType: stringData(envelope.contentType),
      ApplicationProperties: jsonData(envelope.applicationProperties),
      UserProperties: jsonData(envelope.applicationProperties),
      ...(envelope.sessionId === undefined ? {} : { SessionId: stringData(envelope.sessionId) }),
      ...(envelope.correlationId === undefined ? {} : { CorrelationId: stringData(envelope.correlationId) }),
    },
  };
}
