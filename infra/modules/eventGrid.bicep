// Event Grid custom topics: the one the ECP publishes its order events to (with its access key:
// the ECP is outside the tenant), and `order-lifecycle`, which only Entra principals publish to
// (the hub, as EventGrid Data Sender). The subscription to orderEventsProcessor needs the function
// deployed first: see eventSubscriptions.bicep.
param ecpTopicName string
param lifecycleTopicName string
param location string
param tags object

resource ecpTopic 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: ecpTopicName
  location: location
  tags: tags
  // Its own identity writes undeliverable events to the dead-letter container (no storage key).
  identity: { type: 'SystemAssigned' }
  properties: {
    inputSchema: 'EventGridSchema'
    publicNetworkAccess: 'Enabled'
    disableLocalAuth: false
  }
}

resource lifecycleTopic 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: lifecycleTopicName
  location: location
  tags: tags
  properties: {
    inputSchema: 'EventGridSchema'
    publicNetworkAccess: 'Enabled'
    disableLocalAuth: true
  }
}

output ecpTopicName string = ecpTopic.name
output ecpTopicEndpoint string = ecpTopic.properties.endpoint
output ecpTopicPrincipalId string = ecpTopic.identity.principalId
output lifecycleTopicName string = lifecycleTopic.name
output lifecycleTopicEndpoint string = lifecycleTopic.properties.endpoint
