// The function app on a Flex Consumption plan: the package from a blob container, everything it
// reaches through the user-assigned identity. The app settings are the ones src/config/settings.ts
// declares (a test checks that each required one is here); secrets are Key Vault references.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param serviceBusNamespace string
@description('The Service Bus namespace\'s resource id: the ops stats read its queues\' depths through Resource Manager.')
param serviceBusResourceId string
param lifecycleTopicEndpoint string
param keyVaultName string
param appInsightsConnectionString string
param instanceMemoryMB int
param maximumInstanceCount int
param nodeVersion string
param ecpBaseUrl string
param erpBaseUrl string
param paymentBaseUrl string
param mailFromAddress string
param mailFromName string
param mailchimpListId string
param erpLookupBeforeCreate bool
@description('When the reconciler runs (NCRONTAB, six fields, UTC); the host reads it as %RECONCILER_SCHEDULE%.')
param reconcilerSchedule string
@description('When the stock delta sync runs (NCRONTAB); the host reads it as %STOCK_SYNC_SCHEDULE%.')
param stockSyncSchedule string
@description('When the full stock reconciliation starts (NCRONTAB); the host reads it as %STOCK_FULL_SYNC_SCHEDULE%.')
param stockFullSyncSchedule string
@description('When the price sync runs (NCRONTAB); the host reads it as %STOCK_PRICE_SYNC_SCHEDULE%.')
param stockPriceSyncSchedule string
@description('The ERP\'s time zone (IANA): the price sync takes the price-list lines valid on today\'s date there.')
param priceListTimeZone string

// A Key Vault reference: the platform resolves it with keyVaultReferenceIdentity.
var vaultReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName='

var appSettings = {
  // The host's storage and Service Bus connections, with the identity (no keys).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  SERVICE_BUS_RESOURCE_ID: serviceBusResourceId
  // The hub's own clients (DefaultAzureCredential) use the same identity.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  ECP_BASE_URL: ecpBaseUrl
  ECP_API_KEY: '${vaultReference}ecp-api-key)'
  ERP_BASE_URL: erpBaseUrl
  ERP_API_KEY: '${vaultReference}erp-api-key)'
  ERP_CALLBACK_SECRETS: '${vaultReference}erp-callback-secrets)'
  ERP_LOOKUP_BEFORE_CREATE: string(erpLookupBeforeCreate)
  LIFECYCLE_TOPIC_ENDPOINT: lifecycleTopicEndpoint
  SENDGRID_API_KEY: '${vaultReference}sendgrid-api-key)'
  MAIL_FROM_ADDRESS: mailFromAddress
  MAIL_FROM_NAME: mailFromName
  MAILCHIMP_API_KEY: '${vaultReference}mailchimp-api-key)'
  MAILCHIMP_LIST_ID: mailchimpListId
  PAYMENT_BASE_URL: paymentBaseUrl
  PAYMENT_API_KEY: '${vaultReference}payment-api-key)'
  RECONCILER_SCHEDULE: reconcilerSchedule
  STOCK_SYNC_SCHEDULE: stockSyncSchedule
  STOCK_FULL_SYNC_SCHEDULE: stockFullSyncSchedule
  STOCK_PRICE_SYNC_SCHEDULE: stockPriceSyncSchedule
  PRICE_LIST_TIME_ZONE: priceListTimeZone
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'hub' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'node', version: nodeVersion }
    }
  }
}

output name string = site.name
output id string = site.id
output url string = 'https://${site.properties.defaultHostName}'
