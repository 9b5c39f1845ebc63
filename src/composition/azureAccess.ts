import type { TokenCredential } from '@azure/core-auth';
import { hubCredential } from '../adapters/identity/hubCredential';
import type { StorageAccount } from '../adapters/storageAccount';
import { hubClientId, storageServiceUris } from '../config/identitySettings';
import type { Settings } from '../config/settings';

/** How the hub's clients reach Azure, from the settings: keys and connection strings locally, the managed identity in Azure. */
export interface AzureAccess {
  /** The managed identity (loaded on first use: nothing asks for a token where keys serve). */
  credential: TokenCredential;
  storage: StorageAccount;
  /** The `order-lifecycle` topic's key, or the identity. */
  lifecycleTopic: string | TokenCredential;
}

export function azureAccessOf(settings: Settings): AzureAccess {
  const credential = hubCredential(hubClientId(settings));
  const uris = storageServiceUris(settings);
  // The schema lets through exactly one of the two forms.
  const storage: StorageAccount = settings.AzureWebJobsStorage ?? {
    tableServiceUri: uris?.table ?? '',
    blobServiceUri: uris?.blob ?? '',
    credential,
  };
  return { credential, storage, lifecycleTopic: settings.LIFECYCLE_TOPIC_KEY ?? credential };
}
