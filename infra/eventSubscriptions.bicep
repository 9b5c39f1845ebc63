// Stage 2, once the code is deployed (azure.yaml's postdeploy hook, or step 4 of the README's
// runbook): the ECP topic's subscription to orderEventsProcessor. An AzureFunction endpoint needs
// the function to exist; Event Grid then gets the function's eventgrid_extension key itself, so no
// key is copied by hand.
targetScope = 'resourceGroup'

param ecpTopicName string
param functionAppName string
param storageAccountName string

@description('Attempts before an event is dead-lettered, over at most a day (Event Grid\'s own limits).')
param maxDeliveryAttempts int = 30
param eventTimeToLiveInMinutes int = 1440

resource ecpTopic 'Microsoft.EventGrid/topics@2022-06-15' existing = {
  name: ecpTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource orderEvents 'Microsoft.EventGrid/topics/eventSubscriptions@2022-06-15' = {
  parent: ecpTopic
  name: 'order-events-processor'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionApp.id}/functions/orderEventsProcessor'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: ['Ecp.Order.Created', 'Ecp.Order.Updated']
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    // Written with the topic's own identity (Storage Blob Data Contributor on this container).
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: 'eventgrid-deadletter'
        }
      }
    }
  }
}

output subscriptionName string = orderEvents.name
