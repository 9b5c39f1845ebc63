import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { onFirstUse } from '../onFirstUse';

/**
 * The hub's managed identity as a credential for every Azure client: `DefaultAzureCredential`
 * with the user-assigned identity's client id (in Azure it takes the managed identity; on a
 * developer's machine, an Azure CLI or VS Code sign-in). `@azure/identity` is loaded on the first
 * token asked for, not at start, to keep cold start short.
 */
export function hubCredential(clientId: string | undefined): TokenCredential {
  const credential = onFirstUse(async (): Promise<TokenCredential> => {
    const { DefaultAzureCredential } = await import('@azure/identity');
    return new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
  });
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      return await (await credential()).getToken(scopes, options);
    },
  };
}
