import type { z } from 'zod';

/** The settings that say how the hub reaches Azure: a connection string or key, or the managed identity. */
export interface IdentitySettings {
  AzureWebJobsStorage?: string | undefined;
  AzureWebJobsStorage__accountName?: string | undefined;
  AzureWebJobsStorage__blobServiceUri?: string | undefined;
  AzureWebJobsStorage__queueServiceUri?: string | undefined;
  AzureWebJobsStorage__tableServiceUri?: string | undefined;
  AzureWebJobsStorage__credential?: string | undefined;
  AzureWebJobsStorage__clientId?: string | undefined;
  ServiceBusConnection?: string | undefined;
  ServiceBusConnection__fullyQualifiedNamespace?: string | undefined;
  ServiceBusConnection__credential?: string | undefined;
  ServiceBusConnection__clientId?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
  LIFECYCLE_TOPIC_ENDPOINT: string;
  LIFECYCLE_TOPIC_KEY?: string | undefined;
}

const STORAGE_IDENTITY = [
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
] as const;

/** The storage account's service URIs, from its name or as given; undefined without the identity settings. */
export function storageServiceUris(s: IdentitySettings): { blob: string; queue: string; table: string } | undefined {
  const name = s.AzureWebJobsStorage__accountName;
  const uri = (given: string | undefined, service: string): string | undefined =>
    given ?? (name === undefined ? undefined : `https://${name}.${service}.core.windows.net`);
  const blob = uri(s.AzureWebJobsStorage__blobServiceUri, 'blob');
  const queue = uri(s.AzureWebJobsStorage__queueServiceUri, 'queue');
  const table = uri(s.AzureWebJobsStorage__tableServiceUri, 'table');
  return blob === undefined || queue === undefined || table === undefined ? undefined : { blob, queue, table };
}

/** The user-assigned identity the hub runs as, if one is named (they must all name the same one). */
export function hubClientId(s: IdentitySettings): string | undefined {
  return s.AZURE_CLIENT_ID ?? s.AzureWebJobsStorage__clientId ?? s.ServiceBusConnection__clientId;
}

/**
 * Refuses the combinations of connection settings that cannot work: storage by connection string
 * and by identity at once, or by identity without `__credential` or its service URIs; identity
 * settings on a Service Bus connection string; two different identities; a local (http) topic
 * without its key (Entra tokens are only sent over https).
 */
export function refuseIdentityMixes(s: IdentitySettings, context: z.core.$RefinementCtx): void {
  const issue = (path: string, message: string): void => context.addIssue({ code: 'custom', path: [path], message });
  const storageIdentity = STORAGE_IDENTITY.filter((name) => s[name] !== undefined);
  if (s.AzureWebJobsStorage !== undefined) {
    if (storageIdentity.length > 0)
      issue('AzureWebJobsStorage', `set either the connection string or the identity settings (${storageIdentity.join(', ')}), not both`);
    if (s.AzureWebJobsStorage__credential !== undefined)
      issue(
        'AzureWebJobsStorage__credential',
        'a connection string carries its own key: leave the credential out, or the connection string',
      );
  } else if (storageIdentity.length === 0) {
    issue('AzureWebJobsStorage', 'missing: a connection string, or AzureWebJobsStorage__accountName with AzureWebJobsStorage__credential');
  } else {
    if (s.AzureWebJobsStorage__credential === undefined)
      issue('AzureWebJobsStorage__credential', 'missing: managedidentity, with the identity settings of the storage account');
    if (storageServiceUris(s) === undefined)
      issue(
        'AzureWebJobsStorage__accountName',
        'missing: the account name, or all three of AzureWebJobsStorage__blobServiceUri, __queueServiceUri and __tableServiceUri',
      );
  }
  if (s.ServiceBusConnection !== undefined) {
    for (const name of ['ServiceBusConnection__credential', 'ServiceBusConnection__clientId'] as const)
      if (s[name] !== undefined) issue(name, 'a connection string carries its own key: leave this out, or the connection string');
  } else if (s.ServiceBusConnection__fullyQualifiedNamespace !== undefined && s.ServiceBusConnection__credential === undefined) {
    issue('ServiceBusConnection__credential', 'missing: managedidentity, with ServiceBusConnection__fullyQualifiedNamespace');
  }
  const clientIds = (['AZURE_CLIENT_ID', 'AzureWebJobsStorage__clientId', 'ServiceBusConnection__clientId'] as const).filter(
    (name) => s[name] !== undefined,
  );
  const [first] = clientIds;
  const other = clientIds.find((name) => first !== undefined && s[name]?.toLowerCase() !== s[first]?.toLowerCase());
  if (first !== undefined && other !== undefined)
    issue(other, `the hub runs as one identity: ${other} names another client id than ${first}`);
  if (s.LIFECYCLE_TOPIC_KEY === undefined && s.LIFECYCLE_TOPIC_ENDPOINT.startsWith('http://'))
    issue('LIFECYCLE_TOPIC_KEY', 'missing: a topic reached over http takes its key (the managed identity needs https)');
}
