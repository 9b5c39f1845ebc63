import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSettings, settingsSchema } from '../../../src/config/settings';

const valid = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=http://127.0.0.1:7106/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=k',
  ECP_BASE_URL: 'http://127.0.0.1:7101',
  ECP_API_KEY: 'k',
  ERP_BASE_URL: 'http://127.0.0.1:7102',
  ERP_API_KEY: 'k',
  ERP_CALLBACK_SECRETS: 'a-secret-of-16-chars',
  LIFECYCLE_TOPIC_ENDPOINT: 'http://127.0.0.1:7100/topics/order-lifecycle/api/events',
  LIFECYCLE_TOPIC_KEY: 'k',
  SENDGRID_API_KEY: 'k',
  MAIL_FROM_ADDRESS: 'orders@shop.example',
  MAILCHIMP_API_KEY: 'k-us21',
  MAILCHIMP_LIST_ID: 'list',
  RECONCILER_SCHEDULE: '0 */15 * * * *',
  STOCK_SYNC_SCHEDULE: '0 * * * * *',
  STOCK_FULL_SYNC_SCHEDULE: '0 30 2 * * *',
  STOCK_PRICE_SYNC_SCHEDULE: '0 */15 * * * *',
  PAYMENT_BASE_URL: 'http://127.0.0.1:7105',
  PAYMENT_API_KEY: 'sk',
};

describe('app settings', () => {
  it('applies documented defaults', () => {
    expect(loadSettings(valid)).toMatchObject({ ECP_TIMEOUT_MS: 10_000, ORDER_RETRY_MAX_ATTEMPTS: 10, ORDER_SUBMISSION_LEASE_MS: 60_000 });
  });

  it('names a missing setting', () => {
    const { ERP_API_KEY: _missing, ...rest } = valid;
    expect(() => loadSettings(rest)).toThrow(/ERP_API_KEY: missing/);
  });

  it('refuses a Mailchimp API key without its data centre', () => {
    expect(() => loadSettings({ ...valid, MAILCHIMP_API_KEY: 'abcdef' })).toThrow(
      /MAILCHIMP_API_KEY: a Mailchimp API key ends in its data centre/,
    );
  });

  it('names a malformed setting and why', () => {
    expect(() => loadSettings({ ...valid, ECP_BASE_URL: 'not a url' })).toThrow(/ECP_BASE_URL: .*URL/i);
    expect(() => loadSettings({ ...valid, ERP_TIMEOUT_MS: 'soon' })).toThrow(/ERP_TIMEOUT_MS/);
    expect(() => loadSettings({ ...valid, PRICE_LIST_TIME_ZONE: 'Europe/Amsterdm' })).toThrow(
      /PRICE_LIST_TIME_ZONE: not an IANA time zone/,
    );
    expect(loadSettings({ ...valid, PRICE_LIST_TIME_ZONE: 'Europe/Amsterdam' }).PRICE_LIST_TIME_ZONE).toBe('Europe/Amsterdam');
    expect(loadSettings(valid).PRICE_LIST_TIME_ZONE).toBe('UTC');
  });

  it('wants exactly one way to reach Service Bus', () => {
    expect(() => loadSettings({ ...valid, ServiceBusConnection__fullyQualifiedNamespace: 'hub.servicebus.windows.net' })).toThrow(
      /exactly one/,
    );
  });

  it('refuses a submission lease shorter than the ERP timeout', () => {
    expect(() => loadSettings({ ...valid, ERP_TIMEOUT_MS: '70000' })).toThrow(
      /ORDER_SUBMISSION_LEASE_MS: must be greater than ERP_TIMEOUT_MS/,
    );
  });

  it('local.settings.sample.json declares only known settings and passes the schema', () => {
    const sample = JSON.parse(readFileSync(path.join(__dirname, '../../../local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    const known = new Set([...Object.keys(settingsSchema.shape), 'FUNCTIONS_WORKER_RUNTIME']);
    expect(Object.keys(sample.Values).filter((name) => !known.has(name))).toEqual([]);
    expect(() => loadSettings(sample.Values)).not.toThrow();
  });

  it('takes several callback secrets, for a rotation, and refuses short or no secrets', () => {
    expect(loadSettings({ ...valid, ERP_CALLBACK_SECRETS: 'new-secret-of-16-chars, old-secret-of-16-chars' }).ERP_CALLBACK_SECRETS).toEqual(
      ['new-secret-of-16-chars', 'old-secret-of-16-chars'],
    );
    expect(() => loadSettings({ ...valid, ERP_CALLBACK_SECRETS: 'short' })).toThrow(
      /ERP_CALLBACK_SECRETS.0: each secret needs at least 16 characters/,
    );
    expect(() => loadSettings({ ...valid, ERP_CALLBACK_SECRETS: ' , ' })).toThrow(/ERP_CALLBACK_SECRETS: give at least one secret/);
  });
});
