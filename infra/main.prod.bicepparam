using 'main.bicep'

// prod: room for a sale's peak (see the README's Capacity section before changing these).
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'prod')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param instanceMemoryMB = 2048
param maximumInstanceCount = 200
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
param noOrderAlertMinutes = 60
param businessHoursUtc = { first: 6, last: 21 }
param ecpBaseUrl = readEnvironmentVariable('ECP_BASE_URL')
param erpBaseUrl = readEnvironmentVariable('ERP_BASE_URL')
param paymentBaseUrl = readEnvironmentVariable('PAYMENT_BASE_URL')
param mailFromAddress = readEnvironmentVariable('MAIL_FROM_ADDRESS')
param mailFromName = readEnvironmentVariable('MAIL_FROM_NAME', 'Shop')
param mailchimpListId = readEnvironmentVariable('MAILCHIMP_LIST_ID')
param secrets = {
  ECP_API_KEY: readEnvironmentVariable('ECP_API_KEY', '')
  ERP_API_KEY: readEnvironmentVariable('ERP_API_KEY', '')
  ERP_CALLBACK_SECRETS: readEnvironmentVariable('ERP_CALLBACK_SECRETS', '')
  SENDGRID_API_KEY: readEnvironmentVariable('SENDGRID_API_KEY', '')
  MAILCHIMP_API_KEY: readEnvironmentVariable('MAILCHIMP_API_KEY', '')
  PAYMENT_API_KEY: readEnvironmentVariable('PAYMENT_API_KEY', '')
}
