using 'main.bicep'

// dev: small, cheap, quick to scale down. Every value without a default comes from the environment
// of `azd up` (azd env set ERP_BASE_URL …; azd passes its environment to Bicep), as do the secrets,
// which may instead be set in Key Vault later (an empty one is left as it is).
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
param noOrderAlertMinutes = 240
param ecpBaseUrl = readEnvironmentVariable('ECP_BASE_URL')
param erpBaseUrl = readEnvironmentVariable('ERP_BASE_URL')
param paymentBaseUrl = readEnvironmentVariable('PAYMENT_BASE_URL')
param mailFromAddress = readEnvironmentVariable('MAIL_FROM_ADDRESS')
param mailFromName = 'Shop (test)'
param mailchimpListId = readEnvironmentVariable('MAILCHIMP_LIST_ID')
param secrets = {
  ECP_API_KEY: readEnvironmentVariable('ECP_API_KEY', '')
  ERP_API_KEY: readEnvironmentVariable('ERP_API_KEY', '')
  ERP_CALLBACK_SECRETS: readEnvironmentVariable('ERP_CALLBACK_SECRETS', '')
  SENDGRID_API_KEY: readEnvironmentVariable('SENDGRID_API_KEY', '')
  MAILCHIMP_API_KEY: readEnvironmentVariable('MAILCHIMP_API_KEY', '')
  PAYMENT_API_KEY: readEnvironmentVariable('PAYMENT_API_KEY', '')
}
