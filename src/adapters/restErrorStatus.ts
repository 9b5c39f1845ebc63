/**
 * The HTTP status of an Azure SDK `RestError` (tables, blobs), or undefined for any other error.
 * Read by shape, not `instanceof`, so that an adapter need not load its SDK to recognise the
 * SDK's errors (the SDKs load on first use) and any copy of core-rest-pipeline's class answers.
 */
export function restErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'RestError') return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}
