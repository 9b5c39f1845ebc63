// Service Bus (Standard: sessions and duplicate detection need it; Basic has neither), Entra only.
// The queues' properties are the ones the code relies on (src/config/queues.ts, checked by a test):
// `requiresSession` and `requiresDuplicateDetection` cannot be changed once a queue exists.
param name string
param location string
param tags object

var queues = [
  { name: 'online-orders', requiresSession: true, requiresDuplicateDetection: true, duplicateDetectionWindow: 'PT10M', maxDeliveryCount: 10, lockDuration: 'PT1M' }
  { name: 'erp-updates', requiresSession: true, requiresDuplicateDetection: true, duplicateDetectionWindow: 'PT10M', maxDeliveryCount: 10, lockDuration: 'PT1M' }
  { name: 'confirmations', requiresSession: true, requiresDuplicateDetection: true, duplicateDetectionWindow: 'PT10M', maxDeliveryCount: 10, lockDuration: 'PT1M' }
]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource hubQueues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queue in queues: {
    parent: namespace
    name: queue.name
    properties: {
      requiresSession: queue.requiresSession
      requiresDuplicateDetection: queue.requiresDuplicateDetection
      duplicateDetectionHistoryTimeWindow: queue.duplicateDetectionWindow
      maxDeliveryCount: queue.maxDeliveryCount
      lockDuration: queue.lockDuration
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
      maxSizeInMegabytes: 1024
    }
  }
]

output name string = namespace.name
output id string = namespace.id
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
