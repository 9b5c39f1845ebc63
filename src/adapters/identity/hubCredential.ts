import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/**
 * The hub's managed identity as a credential for every Azure client: `DefaultAzureCredential`
 * with the user-assigned identity's client id (in Azure it takes the managed identity; on a
 * developer's machine, an Azure CLI or VS Code sign-in). `@azure/identity` is loaded on the first
 * token asked for, not at start, to keep cold start short.
 */
export function hubCredential(clientId: string | undefined): TokenCredential {
  let loaded: Promise<TokenCredential> | undefined;
  const credential = (): Promise<TokenCredential> =>
    (loaded ??= import('@azure/identity').then(
      ({ DefaultAzureCredential }) => new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId }),
    ));
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      return await (await credential()).getToken(scopes, options);
    },
  };
}
