// The hub's storage account, reached only with Entra (shared keys off): the host's own state and
// keys, the Durable task hub, the hub's tables and the claim-check blobs; the deployment package.
param name string
param location string
param tags object

@description('Days a claim-check blob is kept: longer than any message it stands for can live (14 days on Service Bus).')
param claimCheckRetentionDays int = 30

// The tables the hub names (src/adapters/tables/openTable.ts) and the Durable task hub's (host.json hubName OrderHub).
var tables = ['ledger', 'journeys', 'parked', 'callbacksignatures', 'confirmations', 'registrations', 'reconcileruns', 'orderindex', 'replayjobs', 'inflightorders', 'stockpushed', 'stocksync', 'OrderHubInstances', 'OrderHubHistory']
// The Durable task hub's queues: one control queue per partition (host.json partitionCount 4) and the work items.
var queues = ['orderhub-control-00', 'orderhub-control-01', 'orderhub-control-02', 'orderhub-control-03', 'orderhub-workitems']
var claimCheckContainer = 'claim-checks'
var deploymentContainer = 'app-package'
var containers = [claimCheckContainer, deploymentContainer, 'orderhub-largemessages', 'orderhub-leases', 'eventgrid-deadletter']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource hubTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource hubQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

// Claim-check blobs outlive the messages that name them, then go.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'claim-checks-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['${claimCheckContainer}/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: claimCheckRetentionDays } } }
          }
        }
      ]
    }
  }
}

output name string = account.name
output id string = account.id
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer}'
output deadLetterContainer string = 'eventgrid-deadletter'
