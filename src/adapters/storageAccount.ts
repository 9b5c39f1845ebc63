import type { TokenCredential } from '@azure/core-auth';

/** The hub's storage account reached through its managed identity (in Azure). */
export interface StorageIdentity {
  tableServiceUri: string;
  blobServiceUri: string;
  credential: TokenCredential;
}

/**
 * Where the hub's tables and blobs are: a connection string (Azurite, locally and in tests) or
 * the account's service URIs with the managed identity (in Azure, no key).
 */
export type StorageAccount = string | StorageIdentity;

/** The account's name as an operator would know it, for messages. */
export function describeStorageAccount(account: StorageAccount): string {
  if (typeof account !== 'string') return new URL(account.tableServiceUri).host;
  return (
    /AccountName=([^;]+)/i.exec(account)?.[1] ?? (/UseDevelopmentStorage=true/i.test(account) ? 'devstoreaccount1' : 'the storage account')
  );
}
