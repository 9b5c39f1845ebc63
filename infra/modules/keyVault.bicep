// Key Vault (RBAC): every secret of the hub, referenced from app settings (never in them).
param name string
param location string
param tags object

@secure()
@description('Secret values by app setting; an empty one is not written (set it with az keyvault secret set).')
param secrets object

// App setting → secret name. The app settings reference these (functionApp.bicep).
var secretNames = {
  ECP_API_KEY: 'ecp-api-key'
  ERP_API_KEY: 'erp-api-key'
  ERP_CALLBACK_SECRETS: 'erp-callback-secrets'
  SENDGRID_API_KEY: 'sendgrid-api-key'
  MAILCHIMP_API_KEY: 'mailchimp-api-key'
  PAYMENT_API_KEY: 'payment-api-key'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for setting in items(secretNames): if (!empty(secrets[?setting.key] ?? '')) {
    parent: vault
    name: setting.value
    properties: { value: secrets[setting.key] }
  }
]

output name string = vault.name
output id string = vault.id
output secretNames object = secretNames
