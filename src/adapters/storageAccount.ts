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
