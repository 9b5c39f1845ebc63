// Order Hub in Azure: one resource group holding the function app and everything it uses, reached
// with one user-assigned managed identity. Deployed by `azd up` (azure.yaml) or `az deployment sub
// create` with a .bicepparam per environment; the Event Grid subscription to orderEventsProcessor
// follows the code deployment (stage 2: eventSubscriptions.bicep, run by the postdeploy hook).
targetScope = 'subscription'

@minLength(1)
@maxLength(16)
@description('Environment name (dev, prod): part of every resource name.')
param environmentName string

@description('Azure region of every resource.')
param location string

@description('Memory of each function app instance, in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Node.js version of the function app.')
param nodeVersion string = '20'

@description('Where alerts are mailed.')
param alertEmail string

@description('Alert when no order has been received for this many minutes within business hours.')
@minValue(15)
param noOrderAlertMinutes int = 60

@description('Business hours (UTC) during which a quiet order stream is alarming: first and last hour.')
param businessHoursUtc object = { first: 7, last: 19 }

@description('Base URL of the ECP REST API.')
param ecpBaseUrl string

@description('Base URL of the ERP REST API.')
param erpBaseUrl string

@description('The payment provider API (charges).')
param paymentBaseUrl string

@description('Sender of customer mails (a SendGrid verified sender).')
param mailFromAddress string

@description('Display name of the sender of customer mails.')
param mailFromName string

@description('The Mailchimp audience (list) consenting customers join.')
param mailchimpListId string

@description('Look every order up in the ERP before creating it (on for the hours after a storage failover or restore).')
param erpLookupBeforeCreate bool = false

@description('When the reconciler lists the ECP\'s orders to find any the hub never heard of (NCRONTAB, six fields, UTC).')
param reconcilerSchedule string = '0 */15 * * * *'

@description('When the stock delta sync brings the ERP\'s ledger changes to the shop (NCRONTAB, six fields, UTC).')
param stockSyncSchedule string = '0 * * * * *'

@description('When the full stock reconciliation starts: every SKU at every location, drift corrected both ways (NCRONTAB, UTC).')
param stockFullSyncSchedule string = '0 30 2 * * *'

@description('When the price sync brings the ERP\'s prices valid today to the shop (NCRONTAB, six fields, UTC).')
param stockPriceSyncSchedule string = '0 */15 * * * *'
@description('The ERP\'s time zone (IANA), in which its price lists are valid by the day.')
param priceListTimeZone string = 'UTC'

@secure()
@description('Secrets kept in Key Vault; an empty one is left as it is in the vault (set it with az keyvault secret set).')
param secrets object

var tags = { 'azd-env-name': environmentName, application: 'order-hub' }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var names = {
  resourceGroup: 'rg-orderhub-${environmentName}'
  identity: 'id-orderhub-${environmentName}'
  storage: take('storderhub${environmentName}${token}', 24)
  serviceBus: 'sb-orderhub-${environmentName}-${token}'
  ecpTopic: 'evgt-ecp-orders-${environmentName}-${token}'
  lifecycleTopic: 'evgt-order-lifecycle-${environmentName}-${token}'
  keyVault: take('kv-orderhub-${environmentName}-${token}', 24)
  logAnalytics: 'log-orderhub-${environmentName}'
  appInsights: 'appi-orderhub-${environmentName}'
  plan: 'asp-orderhub-${environmentName}'
  functionApp: 'func-orderhub-${environmentName}-${token}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: names.identity, location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: { name: names.storage, location: location, tags: tags }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: { name: names.serviceBus, location: location, tags: tags }
}

module eventGrid 'modules/eventGrid.bicep' = {
  name: 'eventGrid'
  scope: rg
  params: {
    ecpTopicName: names.ecpTopic
    lifecycleTopicName: names.lifecycleTopic
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: { name: names.keyVault, location: location, tags: tags, secrets: secrets }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusResourceId: serviceBus.outputs.id
    lifecycleTopicEndpoint: eventGrid.outputs.lifecycleTopicEndpoint
    keyVaultName: keyVault.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    nodeVersion: nodeVersion
    ecpBaseUrl: ecpBaseUrl
    erpBaseUrl: erpBaseUrl
    paymentBaseUrl: paymentBaseUrl
    mailFromAddress: mailFromAddress
    mailFromName: mailFromName
    mailchimpListId: mailchimpListId
    erpLookupBeforeCreate: erpLookupBeforeCreate
    reconcilerSchedule: reconcilerSchedule
    stockSyncSchedule: stockSyncSchedule
    stockFullSyncSchedule: stockFullSyncSchedule
    stockPriceSyncSchedule: stockPriceSyncSchedule
    priceListTimeZone: priceListTimeZone
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusName: serviceBus.outputs.name
    lifecycleTopicName: eventGrid.outputs.lifecycleTopicName
    ecpTopicName: eventGrid.outputs.ecpTopicName
    ecpTopicPrincipalId: eventGrid.outputs.ecpTopicPrincipalId
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    environmentName: environmentName
    alertEmail: alertEmail
    serviceBusId: serviceBus.outputs.id
    appInsightsId: monitoring.outputs.appInsightsId
    noOrderAlertMinutes: noOrderAlertMinutes
    businessHoursUtc: businessHoursUtc
  }
}

// What azd, the deploy script and operators need.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT string = storage.outputs.name
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output ECP_TOPIC_NAME string = eventGrid.outputs.ecpTopicName
output ECP_TOPIC_ENDPOINT string = eventGrid.outputs.ecpTopicEndpoint
output LIFECYCLE_TOPIC_ENDPOINT string = eventGrid.outputs.lifecycleTopicEndpoint
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output ERP_CALLBACK_URL string = '${functionApp.outputs.url}/api/erp/callbacks'
output REGISTRATIONS_URL string = '${functionApp.outputs.url}/api/registrations'
