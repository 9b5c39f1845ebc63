import { loadSettings } from '../../../src/config/settings';
import { azureAccessOf } from '../../../src/composition/azureAccess';

const CLIENT_ID = '6b0f4f5e-8a59-4a47-9d57-2f1d0c8e1a11';

/** The settings infra/ gives the function app: no connection string, no key. */
const inAzure = {
  AzureWebJobsStorage__accountName: 'orderhubdevst',
  AzureWebJobsStorage__credential: 'managedidentity',
  AzureWebJobsStorage__clientId: CLIENT_ID,
  ServiceBusConnection__fullyQualifiedNamespace: 'orderhub-dev.servicebus.windows.net',
  ServiceBusConnection__credential: 'managedidentity',
  ServiceBusConnection__clientId: CLIENT_ID,
  AZURE_CLIENT_ID: CLIENT_ID,
  ECP_BASE_URL: 'https://shop.example.com/api',
  ECP_API_KEY: 'k',
  ERP_BASE_URL: 'https://erp.example.com',
  ERP_API_KEY: 'k',
  ERP_CALLBACK_SECRETS: 'a-secret-of-16-chars',
  LIFECYCLE_TOPIC_ENDPOINT: 'https://order-lifecycle.westeurope-1.eventgrid.azure.net/api/events',
  SENDGRID_API_KEY: 'k',
  MAIL_FROM_ADDRESS: 'orders@shop.example',
  MAILCHIMP_API_KEY: 'k-us21',
  MAILCHIMP_LIST_ID: 'list',
  RECONCILER_SCHEDULE: '0 */15 * * * *',
  STOCK_SYNC_SCHEDULE: '0 * * * * *',
  STOCK_FULL_SYNC_SCHEDULE: '0 30 2 * * *',
  STOCK_PRICE_SYNC_SCHEDULE: '0 */15 * * * *',
  PAYMENT_BASE_URL: 'https://api.payments.example',
  PAYMENT_API_KEY: 'sk',
};

describe('reaching Azure with the managed identity', () => {
  it('takes the identity settings and derives the storage service URIs from the account name', () => {
    const access = azureAccessOf(loadSettings(inAzure));
    expect(access.storage).toMatchObject({
      tableServiceUri: 'https://orderhubdevst.table.core.windows.net',
      blobServiceUri: 'https://orderhubdevst.blob.core.windows.net',
    });
    expect(typeof access.storage === 'string' ? undefined : access.storage.credential).toBe(access.credential);
    // No topic key: the topic is published to with the identity.
    expect(access.lifecycleTopic).toBe(access.credential);
  });

  it('takes service URIs instead of the account name', () => {
    const { AzureWebJobsStorage__accountName: _name, ...rest } = inAzure;
    const settings = {
      ...rest,
      AzureWebJobsStorage__blobServiceUri: 'https://a.blob.core.windows.net',
      AzureWebJobsStorage__queueServiceUri: 'https://a.queue.core.windows.net',
      AzureWebJobsStorage__tableServiceUri: 'https://a.table.core.windows.net',
    };
    expect(azureAccessOf(loadSettings(settings)).storage).toMatchObject({ tableServiceUri: 'https://a.table.core.windows.net' });
    const { AzureWebJobsStorage__queueServiceUri: _queue, ...withoutQueue } = settings;
    expect(() => loadSettings(withoutQueue)).toThrow(/AzureWebJobsStorage__accountName: missing: the account name, or all three/);
  });

  it('keeps keys where they are given: a connection string and a topic key stay as they are', () => {
    const access = azureAccessOf(
      loadSettings({
        ...inAzure,
        AzureWebJobsStorage__accountName: undefined,
        AzureWebJobsStorage__credential: undefined,
        AzureWebJobsStorage__clientId: undefined,
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        LIFECYCLE_TOPIC_KEY: 'key',
      }),
    );
    expect(access.storage).toBe('UseDevelopmentStorage=true');
    expect(access.lifecycleTopic).toBe('key');
  });

  it.each([
    [
      'storage by connection string and by identity',
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
      /AzureWebJobsStorage: set either the connection string or the identity settings \(AzureWebJobsStorage__accountName\)/,
    ],
    [
      'storage by identity without the credential',
      { AzureWebJobsStorage__credential: undefined },
      /AzureWebJobsStorage__credential: missing: managedidentity/,
    ],
    ['no storage at all', { AzureWebJobsStorage__accountName: undefined }, /AzureWebJobsStorage: missing: a connection string, or/],
    [
      'a Service Bus namespace without the credential',
      { ServiceBusConnection__credential: undefined },
      /ServiceBusConnection__credential: missing: managedidentity/,
    ],
    [
      'identity settings beside a Service Bus connection string',
      {
        ServiceBusConnection__fullyQualifiedNamespace: undefined,
        ServiceBusConnection: 'Endpoint=sb://hub.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v',
      },
      /ServiceBusConnection__credential: a connection string carries its own key/,
    ],
    [
      'a namespace written as a URL',
      { ServiceBusConnection__fullyQualifiedNamespace: 'sb://hub.servicebus.windows.net/' },
      /without a scheme/,
    ],
    [
      'two identities',
      { ServiceBusConnection__clientId: '00000000-0000-4000-8000-000000000000' },
      /ServiceBusConnection__clientId: the hub runs as one identity: ServiceBusConnection__clientId names another client id than AZURE_CLIENT_ID/,
    ],
    [
      'a service URI over http',
      { AzureWebJobsStorage__tableServiceUri: 'http://a.table.core.windows.net' },
      /AzureWebJobsStorage__tableServiceUri: an https:\/\/ URL/,
    ],
    [
      'a local topic without its key',
      { LIFECYCLE_TOPIC_ENDPOINT: 'http://127.0.0.1:7100/topics/order-lifecycle/api/events' },
      /LIFECYCLE_TOPIC_KEY: missing: a topic reached over http takes its key/,
    ],
  ])('refuses %s, naming the setting', (_what, change, message) => {
    expect(() => loadSettings({ ...inAzure, ...change })).toThrow(message);
  });

  it('says which Key Vault reference Azure could not resolve', () => {
    expect(() => loadSettings({ ...inAzure, ERP_API_KEY: '@Microsoft.KeyVault(VaultName=kv;SecretName=erp-api-key)' })).toThrow(
      /ERP_API_KEY: a Key Vault reference Azure did not resolve/,
    );
  });
});
