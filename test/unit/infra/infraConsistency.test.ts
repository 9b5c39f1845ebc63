import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionsCore, type FunctionRegistration } from '../../../local/runtime/functionsCore';
import { CLAIM_CHECK_CONTAINER } from '../../../src/adapters/claimCheck/ClaimCheckStore';
import { TableNames } from '../../../src/adapters/tables/openTable';
import { HUB_QUEUES, QueueNames } from '../../../src/config/queues';
import { loadSettings, settingsSchema } from '../../../src/config/settings';
import { EcpEventTypes } from '../../../src/platforms/ecp/ecpOrderEvents';
import { items, literal, literalObject, parseBicep, properties, variable, type ParsedBicep } from '../../support/bicep';

const ROOT = path.join(__dirname, '../../..');
const INFRA = path.join(ROOT, 'infra');
const bicep = (file: string): Promise<ParsedBicep> => parseBicep(path.join(INFRA, file));
const hostJson = JSON.parse(readFileSync(path.join(ROOT, 'host.json'), 'utf8')) as {
  extensions: { durableTask: { hubName: string; storageProvider: { partitionCount: number } } };
};
const sample = JSON.parse(readFileSync(path.join(ROOT, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };

// The function registrations, as the host sees them: the app loaded against a Functions core of
// our own (as the local host does), with the sample's settings.
const core = new FunctionsCore(() => undefined);
jest.mock('@azure/functions-core', () => core, { virtual: true });
let registrations: FunctionRegistration[] = [];
beforeAll(() => {
  const saved = { ...process.env };
  Object.assign(process.env, sample.Values);
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../../src/main');
  });
  process.env = saved;
  registrations = [...core.registrations.values()];
});
const triggerOf = (registration: FunctionRegistration) => registration.trigger;

/** Settings the platform reads, not the app: the schema does not declare them. */
const PLATFORM_SETTINGS = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'];
/** Settings only the local stack needs (Flex Consumption sets the runtime from functionAppConfig). */
const LOCAL_ONLY = [
  'FUNCTIONS_WORKER_RUNTIME',
  'SENDGRID_BASE_URL',
  'MAILCHIMP_BASE_URL',
  'AzureWebJobsStorage',
  'ServiceBusConnection',
  'LIFECYCLE_TOPIC_KEY',
];

/** What Azure puts in place of the Bicep expressions, for a check of the settings as the app will see them. */
function resolvedInAzure(appSettings: Map<string, ReturnType<typeof variable>>): Record<string, string> {
  const secretValues: Record<string, string> = {
    ECP_API_KEY: 'ecp-key',
    ERP_API_KEY: 'erp-key',
    ERP_CALLBACK_SECRETS: 'a-callback-secret-of-32-characters',
    SENDGRID_API_KEY: 'SG.key',
    MAILCHIMP_API_KEY: 'key-us21',
    PAYMENT_API_KEY: 'sk_live',
  };
  const expressions: Record<string, string> = {
    AzureWebJobsStorage__accountName: 'storderhubprod',
    AzureWebJobsStorage__clientId: '6b0f4f5e-8a59-4a47-9d57-2f1d0c8e1a11',
    ServiceBusConnection__clientId: '6b0f4f5e-8a59-4a47-9d57-2f1d0c8e1a11',
    AZURE_CLIENT_ID: '6b0f4f5e-8a59-4a47-9d57-2f1d0c8e1a11',
    ServiceBusConnection__fullyQualifiedNamespace: 'sb-orderhub-prod.servicebus.windows.net',
    LIFECYCLE_TOPIC_ENDPOINT: 'https://evgt-order-lifecycle-prod.westeurope-1.eventgrid.azure.net/api/events',
    ECP_BASE_URL: 'https://shop.example.com/api',
    ERP_BASE_URL: 'https://erp.example.com',
    PAYMENT_BASE_URL: 'https://api.payments.example',
    MAIL_FROM_ADDRESS: 'orders@shop.example',
    MAIL_FROM_NAME: 'Shop',
    MAILCHIMP_LIST_ID: 'list',
    ERP_LOOKUP_BEFORE_CREATE: 'false',
    RECONCILER_SCHEDULE: '0 */15 * * * *',
    STOCK_SYNC_SCHEDULE: '0 * * * * *',
    STOCK_FULL_SYNC_SCHEDULE: '0 30 2 * * *',
    STOCK_PRICE_SYNC_SCHEDULE: '0 */15 * * * *',
    PRICE_LIST_TIME_ZONE: 'UTC',
    SERVICE_BUS_RESOURCE_ID:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-orderhub-prod/providers/Microsoft.ServiceBus/namespaces/sb-orderhub-prod',
  };
  const env: Record<string, string> = {};
  for (const [name, node] of appSettings) {
    const value = literal(node);
    if (typeof value === 'string') env[name] = value;
    else if (node.text.includes('@Microsoft.KeyVault(') || node.text.includes('${vaultReference}')) env[name] = secretValues[name] ?? '';
    else if (!PLATFORM_SETTINGS.includes(name)) env[name] = expressions[name] ?? `(no value for ${name} in this test)`;
  }
  return env;
}

describe('infra/ agrees with the code', () => {
  it('sets every app setting the schema requires, only settings the schema knows, and they pass it as Azure resolves them', async () => {
    const appSettings = properties(variable(await bicep('modules/functionApp.bicep'), 'appSettings'));
    const known = new Set(Object.keys(settingsSchema.shape));
    expect([...appSettings.keys()].filter((name) => !known.has(name) && !PLATFORM_SETTINGS.includes(name))).toEqual([]);
    const required = Object.entries(settingsSchema.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([name]) => name);
    expect(required.filter((name) => !appSettings.has(name))).toEqual([]);
    expect(() => loadSettings(resolvedInAzure(appSettings))).not.toThrow();
  });

  it('keeps every secret in Key Vault: each secret setting is a Key Vault reference to a secret the vault module names', async () => {
    const appSettings = properties(variable(await bicep('modules/functionApp.bicep'), 'appSettings'));
    const secretNames = literalObject(variable(await bicep('modules/keyVault.bicep'), 'secretNames'));
    for (const [setting, secretName] of Object.entries(secretNames)) {
      expect(appSettings.get(setting)?.text).toBe(`'\${vaultReference}${String(secretName)})'`);
    }
    // No key or connection string of the local stack in Azure: the identity serves instead.
    for (const name of ['AzureWebJobsStorage', 'ServiceBusConnection', 'LIFECYCLE_TOPIC_KEY']) expect(appSettings.has(name)).toBe(false);
  });

  it('local.settings.sample.json sets, for the local stack, what Azure sets with the identity', async () => {
    const appSettings = properties(variable(await bicep('modules/functionApp.bicep'), 'appSettings'));
    const inSample = Object.keys(sample.Values);
    const shape: Record<string, { safeParse: (value: unknown) => { success: boolean } } | undefined> = settingsSchema.shape;
    const hasDefault = (name: string): boolean => shape[name]?.safeParse(undefined).success ?? false;
    expect(inSample.filter((name) => !appSettings.has(name) && !LOCAL_ONLY.includes(name) && !hasDefault(name))).toEqual([]);
    expect(inSample).toEqual(expect.arrayContaining(['AzureWebJobsStorage', 'ServiceBusConnection', 'LIFECYCLE_TOPIC_KEY']));
  });

  it('creates every queue the code uses, with the sessions, duplicate detection and delivery count it relies on', async () => {
    const queues = items(variable(await bicep('modules/serviceBus.bicep'), 'queues')).map((node) => literalObject(node));
    const iso = (ms: number) => (ms % 60_000 === 0 ? `PT${ms / 60_000}M` : `PT${ms / 1000}S`);
    expect(queues).toEqual(
      HUB_QUEUES.map((queue) => ({
        name: queue.name,
        requiresSession: queue.requiresSession,
        requiresDuplicateDetection: true,
        duplicateDetectionWindow: iso(queue.duplicateDetectionWindowMs),
        maxDeliveryCount: queue.maxDeliveryCount,
        lockDuration: iso(queue.lockDurationMs),
      })),
    );
    // Every queue a trigger receives from exists, with sessions exactly where the trigger takes them.
    const triggers = registrations.map(triggerOf).filter((trigger) => trigger.type === 'serviceBusTrigger');
    expect(triggers.length).toBe(Object.values(QueueNames).length);
    for (const trigger of triggers) {
      const queue = queues.find((q) => q.name === trigger.queueName);
      expect({ queue: trigger.queueName, sessions: queue?.requiresSession }).toEqual({
        queue: trigger.queueName,
        sessions: trigger.isSessionsEnabled === true,
      });
    }
  });

  it('creates every table and container the code names, and the Durable task hub host.json names', async () => {
    const storage = await bicep('modules/storage.bicep');
    const tables = items(variable(storage, 'tables')).map(literal);
    const queues = items(variable(storage, 'queues')).map(literal);
    const containers = items(variable(storage, 'containers')).map((node) => literal(node) ?? node.text);
    const { hubName, storageProvider } = hostJson.extensions.durableTask;
    expect(tables).toEqual(expect.arrayContaining([...Object.values(TableNames), `${hubName}Instances`, `${hubName}History`]));
    const hub = hubName.toLowerCase();
    expect(queues).toEqual([
      ...Array.from({ length: storageProvider.partitionCount }, (_, i) => `${hub}-control-${String(i).padStart(2, '0')}`),
      `${hub}-workitems`,
    ]);
    expect(containers).toEqual(expect.arrayContaining(['claimCheckContainer', `${hub}-largemessages`, 'eventgrid-deadletter']));
    expect(literal(variable(storage, 'claimCheckContainer'))).toBe(CLAIM_CHECK_CONTAINER);
  });

  it('sets every app setting a binding names (%NAME%, which the host resolves itself, not the app) in Bicep and in the sample', async () => {
    const appSettings = properties(variable(await bicep('modules/functionApp.bicep'), 'appSettings'));
    const named = registrations.flatMap((r) =>
      Object.values(r.metadata.bindings).flatMap((binding) =>
        [...JSON.stringify(binding).matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1] as string),
      ),
    );
    const fromTriggers = registrations.flatMap((r) =>
      [...JSON.stringify(r.trigger).matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1] as string),
    );
    const wanted = [...new Set([...named, ...fromTriggers])];
    expect(wanted).toContain('RECONCILER_SCHEDULE');
    expect(wanted.filter((name) => !appSettings.has(name))).toEqual([]);
    expect(wanted.filter((name) => sample.Values[name] === undefined)).toEqual([]);
    // The value Azure gets is the one main.bicep gives, and the schema takes it.
    const main = (await bicep('main.bicep')).root.text;
    expect(/param reconcilerSchedule string = '([^']+)'/.exec(main)?.[1]).toBe(resolvedInAzure(appSettings).RECONCILER_SCHEDULE);
  });

  it('subscribes orderEventsProcessor, an Event Grid function the app registers, to the event types it handles', async () => {
    const subscriptions = await bicep('eventSubscriptions.bicep');
    const text = subscriptions.root.text;
    const target = /functions\/(\w+)'/.exec(text)?.[1];
    expect(registrations.find((r) => r.metadata.name === target)?.trigger.type).toBe('eventGridTrigger');
    const included = /includedEventTypes: \[([^\]]*)\]/
      .exec(text)?.[1]
      ?.split(',')
      .map((s) => s.trim().replace(/'/g, ''));
    expect(included).toEqual([EcpEventTypes.ORDER_CREATED, EcpEventTypes.ORDER_UPDATED]);
  });

  it('gives the identity a role for every data-plane operation the code performs, and no other', async () => {
    const roles = await bicep('modules/roles.bicep');
    const roleIds = literalObject(variable(roles, 'roleIds'));
    const assigned = [...roles.root.text.matchAll(/principalId: principalId[\s\S]*?roleIds\.(\w+)\)/g)].map((m) => m[1]);
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(path.join(dir, e.name), 'utf8')] : [],
      );
    const code = sources(path.join(ROOT, 'src')).join('\n');
    const appSettings = properties(variable(await bicep('modules/functionApp.bicep'), 'appSettings'));
    // Each operation the code performs in Azure, found in the code, and the role it needs.
    const operations: [string, boolean, string][] = [
      ['tables (ledger, journeys, …; the task hub)', code.includes("from '@azure/data-tables'"), 'storageTableDataContributor'],
      [
        'blobs (claim checks; the host, the package, Durable large messages)',
        code.includes("from '@azure/storage-blob'"),
        'storageBlobDataOwner',
      ],
      ['queues (the Durable task hub)', code.includes("from 'durable-functions'"), 'storageQueueDataContributor'],
      ['sending to Service Bus', code.includes("from '@azure/service-bus'"), 'serviceBusDataSender'],
      ['Service Bus triggers', registrations.some((r) => r.trigger.type === 'serviceBusTrigger'), 'serviceBusDataReceiver'],
      [
        'publishing to order-lifecycle with Entra',
        code.includes("from '@azure/eventgrid'") && !appSettings.has('LIFECYCLE_TOPIC_KEY'),
        'eventGridDataSender',
      ],
      ['Key Vault references', [...appSettings.values()].some((v) => v.text.includes('vaultReference')), 'keyVaultSecretsUser'],
      ['telemetry with Entra', appSettings.has('APPLICATIONINSIGHTS_AUTHENTICATION_STRING'), 'monitoringMetricsPublisher'],
      [
        "reading the queues' depths through Resource Manager (ops stats)",
        code.includes('class ArmQueueDepths') && appSettings.has('SERVICE_BUS_RESOURCE_ID'),
        'reader',
      ],
    ];
    for (const [operation, performed, role] of operations) {
      expect({ operation, performed }).toEqual({ operation, performed: true });
      expect({ operation, role: roleIds[role] === undefined ? 'unknown role' : role, assigned: assigned.includes(role) }).toEqual({
        operation,
        role,
        assigned: true,
      });
    }
    expect([...new Set(assigned)].sort()).toEqual(operations.map(([, , role]) => role).sort());
  });
});
